/// One block of uncompressed audio: interleaved 16-bit PCM.
///
/// `samples` holds `samplesPerChannel × channelCount` values, channel by
/// channel within each sampling instant (left, right, left, right, ... for
/// stereo). `timestamp` is the presentation time of the first sample since the
/// start of the stream; use ``MediaTime/ticks(_:clockRate:)`` for an RTP
/// timestamp.
public struct AudioFrame: Sendable, Hashable {
    /// The highest sample rate the sources and files of this module accept, in Hz.
    public static let maximumSampleRate = 768_000
    /// The most channels the sources and files of this module accept.
    public static let maximumChannelCount = 64
    /// The most samples per channel one frame of this module's sources may hold
    /// (262,144: about 5.5 s at 48 kHz), which bounds a frame's memory.
    public static let maximumSamplesPerChannel = 1 << 18

    /// The interleaved samples.
    public var samples: [Int16]
    /// The sample rate in Hz.
    public var sampleRate: Int
    /// The number of interleaved channels.
    public var channelCount: Int
    /// The presentation time of the first sample since the start of the stream.
    public var timestamp: Duration

    /// Creates a frame (nothing is checked; see ``hasValidLayout``).
    public init(samples: [Int16], sampleRate: Int, channelCount: Int, timestamp: Duration = .zero) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.timestamp = timestamp
    }

    /// The number of samples in each channel (0 if ``channelCount`` is not positive).
    public var samplesPerChannel: Int { channelCount > 0 ? samples.count / channelCount : 0 }

    /// The time the frame lasts: ``samplesPerChannel`` / ``sampleRate``
    /// (zero if the sample rate is not positive).
    public var duration: Duration {
        guard sampleRate > 0 else { return .zero }
        return MediaTime.duration(ticks: Int64(samplesPerChannel), clockRate: sampleRate)
    }

    /// Whether the rate is in 1...``maximumSampleRate``, the channel count in
    /// 1...``maximumChannelCount`` and the sample count a multiple of the channel count.
    public var hasValidLayout: Bool {
        (1...Self.maximumSampleRate).contains(sampleRate)
            && (1...Self.maximumChannelCount).contains(channelCount)
            && samples.count % channelCount == 0
    }

    /// The samples of one channel (0-based), or `nil` if there is no such channel.
    public func samples(ofChannel channel: Int) -> [Int16]? {
        guard channelCount > 0, (0..<channelCount).contains(channel) else { return nil }
        return stride(from: channel, to: samples.count, by: channelCount).map { samples[$0] }
    }
}
