import CodecBridge
import Foundation
import Testing

@Suite("Audio time stretching by one pitch period")
struct AudioTimeStretcherTests {
    private func tone(_ frequency: Double, samples: Int, amplitude: Double = 8000) -> [Int16] {
        (0..<samples).map { Int16(amplitude * sin(2 * .pi * frequency * Double($0) / 48_000)) }
    }

    /// The largest step between neighbouring samples.
    private func largestStep(_ samples: [Int16]) -> Int {
        zip(samples, samples.dropFirst()).map { abs(Int($1) - Int($0)) }.max() ?? 0
    }

    @Test func shorteningA440HzToneRemovesAWholeNumberOfPeriodsWithoutAClick() {
        var samples = tone(440, samples: 960)
        let step = largestStep(samples)
        let removed = AudioTimeStretcher.shorten(&samples, channelCount: 1, sampleRate: 48_000, by: .milliseconds(10))
        #expect(removed >= 120 && removed <= 480)
        #expect(samples.count == 960 - removed)
        let periods = Double(removed) * 440 / 48_000
        #expect(abs(periods - periods.rounded()) < 0.05, "removed \(removed) samples: \(periods) periods")
        #expect(largestStep(samples) <= step + step / 10)
    }

    @Test func lengtheningA440HzToneAddsAWholeNumberOfPeriodsWithoutAClick() {
        var samples = tone(440, samples: 960)
        let step = largestStep(samples)
        let added = AudioTimeStretcher.lengthen(&samples, channelCount: 1, sampleRate: 48_000, by: .milliseconds(10))
        #expect(added >= 120 && added <= 480)
        #expect(samples.count == 960 + added)
        #expect(largestStep(samples) <= step + step / 10)
    }

    @Test func stereoIsStretchedOnBothChannelsAlike() {
        let mono = tone(300, samples: 960)
        var stereo = mono.flatMap { [$0, $0] }
        let removed = AudioTimeStretcher.shorten(&stereo, channelCount: 2, sampleRate: 48_000, by: .milliseconds(10))
        #expect(removed > 0)
        #expect(stereo.count == 2 * (960 - removed))
        #expect(stride(from: 0, to: stereo.count, by: 2).allSatisfy { stereo[$0] == stereo[$0 + 1] })
    }

    @Test func noiseIsLeftAloneAndSilenceIsShortenedByTheWholeLimit() {
        var random = SeededGenerator(seed: 5)
        var noise = (0..<960).map { _ in Int16(truncatingIfNeeded: Int(random.next() % 20_000) - 10_000) }
        let original = noise
        #expect(AudioTimeStretcher.shorten(&noise, channelCount: 1, sampleRate: 48_000, by: .milliseconds(10)) == 0)
        #expect(noise == original)
        var silence = [Int16](repeating: 3, count: 960)
        #expect(AudioTimeStretcher.shorten(&silence, channelCount: 1, sampleRate: 48_000, by: .milliseconds(10)) == 480)
        #expect(silence.count == 480)
    }

    @Test func audioTooShortForTwoPeriodsIsLeftAlone() {
        var samples = tone(440, samples: 200)
        #expect(AudioTimeStretcher.lengthen(&samples, channelCount: 1, sampleRate: 48_000, by: .milliseconds(10)) == 0)
        #expect(samples.count == 200)
    }
}
