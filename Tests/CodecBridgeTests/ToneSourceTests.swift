import CodecBridge
import Foundation
import Testing

@Suite("Tone source")
struct ToneSourceTests {
    /// One second of `source`, as consecutive frames.
    static func oneSecond(of source: inout ToneSource) -> [AudioFrame] {
        (0..<(source.sampleRate / source.samplesPerFrame)).map { _ in source.nextFrame() }
    }

    @Test("the tone is strongest at its frequency: 100× the power 5 Hz, 10% and an octave away")
    func frequency() throws {
        for (frequency, sampleRate, channelCount) in [(440.0, 48_000, 1), (1_000.0, 16_000, 1), (300.0, 44_100, 2)] {
            var source = try ToneSource(frequency: frequency, sampleRate: sampleRate, channelCount: channelCount)
            let frames = Self.oneSecond(of: &source)
            let samples = try frames.flatMap { try #require($0.samples(ofChannel: channelCount - 1)) }
            #expect(samples.count == sampleRate)
            let rate = Double(sampleRate)
            let tone = TestFixtures.goertzelPower(samples, at: frequency, sampleRate: rate)
            for neighbour in [frequency - 5, frequency + 5, frequency * 0.9, frequency * 1.1, frequency / 2, frequency * 2] {
                let power = TestFixtures.goertzelPower(samples, at: neighbour, sampleRate: rate)
                #expect(tone > 100 * power, "\(frequency) Hz at \(sampleRate) Hz vs \(neighbour) Hz")
            }
        }
    }

    @Test("the RMS level is the amplitude × full scale / √2, within 2%")
    func level() throws {
        for amplitude in [0.3, 0.05, 0.8, 1] {
            var source = try ToneSource(frequency: 440, amplitude: amplitude)
            let samples = Self.oneSecond(of: &source).flatMap(\.samples)
            let expected = amplitude * 32_767 / 2.0.squareRoot()
            let measured = TestFixtures.rms(samples)
            #expect(abs(measured - expected) <= 0.02 * expected, "amplitude \(amplitude): RMS \(measured) vs \(expected)")
            #expect(samples.allSatisfy { abs(Int($0)) <= Int((amplitude * 32_767).rounded()) })
        }
    }

    @Test("frames are consecutive: timestamps n × 10 ms and one unbroken sine across frame edges")
    func continuity() throws {
        var source = try ToneSource(frequency: 1_000, sampleRate: 48_000, channelCount: 2, frameDuration: .milliseconds(10))
        #expect(source.samplesPerFrame == 480 && source.frameDuration == .milliseconds(10))
        var left: [Int16] = []
        for index in 0..<25 {
            let next = source.readFrame()
            let frame = try #require(next, "a tone never ends")
            #expect(frame.timestamp == .milliseconds(10 * index))
            #expect(frame.sampleRate == 48_000 && frame.channelCount == 2)
            #expect(frame.samplesPerChannel == 480 && frame.samples.count == 960)
            #expect(frame.duration == .milliseconds(10))
            #expect(frame.samples(ofChannel: 0) == frame.samples(ofChannel: 1), "both channels carry the tone")
            left += try #require(frame.samples(ofChannel: 0))
        }
        #expect(source.framesGenerated == 25)
        for (index, sample) in left.enumerated() {
            let ideal = 0.3 * 32_767 * sin(2 * .pi * 1_000 * Double(index) / 48_000)
            #expect(abs(Double(sample) - ideal) <= 1, "sample \(index): \(sample) vs \(ideal)")
        }
    }

    @Test("the frame length is rounded to whole samples and timestamps stay exact")
    func frameLengths() throws {
        #expect(try ToneSource(sampleRate: 11_025, frameDuration: .milliseconds(10)).samplesPerFrame == 110)
        var source = try ToneSource(frequency: 300, sampleRate: 44_100)
        #expect(source.samplesPerFrame == 882)
        for index in 0..<60 {
            #expect(source.nextFrame().timestamp == .milliseconds(20 * index))
        }
    }

    @Test("nonsensical settings throw invalid-configuration")
    func invalidSettings() {
        let attempts: [(String, () throws -> ToneSource)] = [
            ("zero frequency", { try ToneSource(frequency: 0) }),
            ("negative frequency", { try ToneSource(frequency: -440) }),
            ("NaN frequency", { try ToneSource(frequency: .nan) }),
            ("infinite frequency", { try ToneSource(frequency: .infinity) }),
            ("frequency at Nyquist", { try ToneSource(frequency: 24_000) }),
            ("negative amplitude", { try ToneSource(amplitude: -0.1) }),
            ("amplitude over full scale", { try ToneSource(amplitude: 1.5) }),
            ("NaN amplitude", { try ToneSource(amplitude: .nan) }),
            ("zero sample rate", { try ToneSource(sampleRate: 0) }),
            ("huge sample rate", { try ToneSource(sampleRate: 10_000_000) }),
            ("no channels", { try ToneSource(channelCount: 0) }),
            ("too many channels", { try ToneSource(channelCount: 65) }),
            ("zero frame duration", { try ToneSource(frameDuration: .zero) }),
            ("negative frame duration", { try ToneSource(frameDuration: .milliseconds(-20)) }),
            ("frame shorter than a sample", { try ToneSource(frameDuration: .microseconds(10)) }),
            ("frame of a minute", { try ToneSource(frameDuration: .seconds(60)) }),
        ]
        for (name, attempt) in attempts {
            #expect("\(name)") { try attempt() } throws: { ($0 as? CodecError)?.code == .invalidConfiguration }
        }
    }
}
