import Foundation

/// An endless synthetic voice for tests and demos, at 48 kHz in 20 ms frames.
///
/// A steady tone is not speech to Opus: its encoder classes a tone as music,
/// codes it with CELT and its voice-activity detector calls it noise, so
/// the tone gets none of the in-band FEC a talker gets. This source is
/// built to be taken for speech: a harmonic series (a voice's pitch, gliding
/// between about 110 and 170 Hz) shaped by two formants that change every
/// syllable (160 ms, five vowels in turn), under a syllabic envelope that
/// dips to a tenth of full level between syllables but never to silence.
/// The output is deterministic; every channel carries the same signal.
public struct VoiceLikeSource: AudioFrameSource, Sendable {
    /// 48,000.
    public let sampleRate = 48_000
    /// The number of interleaved channels.
    public let channelCount: Int
    /// 960: 20 ms at 48 kHz.
    public let samplesPerFrame = 960
    /// The length of one syllable: its vowel and its envelope's period.
    public static let syllable = 0.16
    /// The peak level of the harmonic sum at the top of a syllable, as a fraction of full scale.
    public let level: Double
    /// The number of frames returned so far.
    public private(set) var framesGenerated = 0
    private var sampleIndex = 0
    /// The voice's phase, in radians of its fundamental.
    private var phase = 0.0

    /// First and second formant frequencies (Hz) of the vowels taken in turn.
    private static let vowels: [(first: Double, second: Double)] = [(700, 1_200), (300, 2_300), (500, 1_000), (400, 2_000), (600, 1_700)]

    /// Creates a source.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` unless `channelCount`
    ///   is 1 to ``AudioFrame/maximumChannelCount`` and `level` is 0 to 1.
    public init(channelCount: Int = 1, level: Double = 0.25) throws {
        guard (1...AudioFrame.maximumChannelCount).contains(channelCount) else {
            throw CodecError(.invalidConfiguration, "channel count \(channelCount) is out of range")
        }
        guard level.isFinite, (0...1).contains(level) else {
            throw CodecError(.invalidConfiguration, "level \(level) is not a fraction of full scale (0 to 1)")
        }
        self.channelCount = channelCount
        self.level = level
    }

    /// The next 20 ms; the source never ends.
    public mutating func nextFrame() -> AudioFrame {
        var samples: [Int16] = []
        samples.reserveCapacity(samplesPerFrame * channelCount)
        let rate = Double(sampleRate)
        for _ in 0..<samplesPerFrame {
            let time = Double(sampleIndex) / rate
            let pitch = 140 + 30 * sin(2 * .pi * 0.7 * time)
            phase += 2 * .pi * pitch / rate
            if phase > 2 * .pi * 1_000 { phase -= 2 * .pi * 1_000 }
            let vowel = Self.vowels[Int(time / Self.syllable) % Self.vowels.count]
            var sum = 0.0
            for harmonic in 1...25 {
                let frequency = Double(harmonic) * pitch
                let weight = Self.peak(frequency, at: vowel.first, width: 150) + 0.6 * Self.peak(frequency, at: vowel.second, width: 250) + 0.05
                sum += weight * sin(Double(harmonic) * phase)
            }
            let envelope = 0.1 + 0.9 * pow(sin(.pi * time / Self.syllable), 2)
            // The harmonic sum peaks near 4; scale it to `level` of full scale.
            let value = (level * Double(Int16.max) / 4 * envelope * sum).rounded()
            let sample = Int16(max(-Double(Int16.max), min(Double(Int16.max), value)))
            for _ in 0..<channelCount { samples.append(sample) }
            sampleIndex += 1
        }
        let timestamp = MediaTime.duration(ticks: Int64(framesGenerated) * Int64(samplesPerFrame), clockRate: sampleRate)
        framesGenerated += 1
        return AudioFrame(samples: samples, sampleRate: sampleRate, channelCount: channelCount, timestamp: timestamp)
    }

    /// The next frame (never `nil`): ``AudioFrameSource`` conformance.
    public mutating func readFrame() -> AudioFrame? {
        nextFrame()
    }

    /// A formant's gain at `frequency`: a bell around `center`.
    private static func peak(_ frequency: Double, at center: Double, width: Double) -> Double {
        exp(-(frequency - center) * (frequency - center) / (2 * width * width))
    }
}
