import Foundation

/// An endless sine tone for tests and demos: the same sine on every channel,
/// in frames of a fixed length.
///
/// Frames follow each other without a gap: the phase carries on from one frame
/// to the next, and frame `n` has the timestamp `n × samplesPerFrame / sampleRate`.
public struct ToneSource: AudioFrameSource, Sendable {
    /// The tone's frequency in Hz.
    public let frequency: Double
    /// The tone's peak level as a fraction of full scale (1 is a peak of 32,767).
    public let amplitude: Double
    /// The sample rate in Hz.
    public let sampleRate: Int
    /// The number of interleaved channels (all carry the same tone).
    public let channelCount: Int
    /// The number of samples per channel in each frame: the frame duration
    /// rounded to whole samples.
    public let samplesPerFrame: Int
    /// The number of frames returned so far.
    public private(set) var framesGenerated = 0
    /// The phase of the next sample, in cycles (0 ≤ phase < 1).
    private var phase = 0.0

    /// Creates a source.
    ///
    /// - Parameters:
    ///   - frequency: in Hz, above 0 and below half the sample rate.
    ///   - amplitude: the peak level as a fraction of full scale, 0 to 1.
    ///   - sampleRate: in Hz, 1 to ``AudioFrame/maximumSampleRate``.
    ///   - channelCount: 1 to ``AudioFrame/maximumChannelCount``.
    ///   - frameDuration: the length of one frame, rounded to whole samples;
    ///     at least one sample and at most ``AudioFrame/maximumSamplesPerChannel``.
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for a value out of range.
    public init(
        frequency: Double = 440, amplitude: Double = 0.3, sampleRate: Int = 48_000, channelCount: Int = 1,
        frameDuration: Duration = .milliseconds(20)
    ) throws {
        guard (1...AudioFrame.maximumSampleRate).contains(sampleRate) else {
            throw CodecError(.invalidConfiguration, "sample rate \(sampleRate) Hz is out of range")
        }
        guard (1...AudioFrame.maximumChannelCount).contains(channelCount) else {
            throw CodecError(.invalidConfiguration, "channel count \(channelCount) is out of range")
        }
        guard frequency.isFinite, frequency > 0, frequency < Double(sampleRate) / 2 else {
            throw CodecError(
                .invalidConfiguration,
                "a tone of \(frequency) Hz is not between 0 and half the sample rate (\(sampleRate / 2) Hz)"
            )
        }
        guard amplitude.isFinite, (0...1).contains(amplitude) else {
            throw CodecError(.invalidConfiguration, "amplitude \(amplitude) is not a fraction of full scale (0 to 1)")
        }
        let samplesPerFrame = frameDuration > .zero ? MediaTime.ticks(frameDuration, clockRate: sampleRate) : 0
        guard (1...Int64(AudioFrame.maximumSamplesPerChannel)).contains(samplesPerFrame) else {
            throw CodecError(
                .invalidConfiguration,
                "a frame of \(frameDuration) is \(samplesPerFrame) samples at \(sampleRate) Hz, not 1 to \(AudioFrame.maximumSamplesPerChannel)"
            )
        }
        self.frequency = frequency
        self.amplitude = amplitude
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.samplesPerFrame = Int(samplesPerFrame)
    }

    /// The length of one frame: ``samplesPerFrame`` / ``sampleRate``.
    public var frameDuration: Duration {
        MediaTime.duration(ticks: Int64(samplesPerFrame), clockRate: sampleRate)
    }

    /// The next frame; the source never ends.
    public mutating func nextFrame() -> AudioFrame {
        let increment = frequency / Double(sampleRate)
        let peak = amplitude * Double(Int16.max)
        var samples: [Int16] = []
        samples.reserveCapacity(samplesPerFrame * channelCount)
        for _ in 0..<samplesPerFrame {
            let sample = Int16((peak * sin(2 * .pi * phase)).rounded())
            for _ in 0..<channelCount { samples.append(sample) }
            phase += increment
            if phase >= 1 { phase -= 1 }
        }
        let timestamp = MediaTime.duration(
            ticks: Int64(framesGenerated) * Int64(samplesPerFrame), clockRate: sampleRate
        )
        framesGenerated += 1
        return AudioFrame(samples: samples, sampleRate: sampleRate, channelCount: channelCount, timestamp: timestamp)
    }

    /// The next frame (never `nil`): ``AudioFrameSource`` conformance.
    public mutating func readFrame() -> AudioFrame? {
        nextFrame()
    }
}
