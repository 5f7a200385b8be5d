public import RTPKit

/// One encoded frame as it came off the wire (before decoding): a VP8
/// frame, an Opus packet, ….
public struct ReceivedFrame: Sendable, Hashable {
    /// The transceiver's mid.
    public var mid: String
    /// Audio or video.
    public var kind: TrackKind
    /// The encoded bytes, payload format headers removed.
    public var data: [UInt8]
    /// Whether it decodes without earlier frames (every audio packet does).
    public var isKeyFrame: Bool
    /// Its RTP timestamp.
    public var rtpTimestamp: UInt32
    /// Its timestamp relative to the stream's first frame.
    public var timestamp: Duration
    /// When the sender captured it, on the sender's wall clock, once its
    /// sender reports tell (RFC 3550 6.4.1); lip sync lines up audio and
    /// video by these.
    public var captureTime: NTPTimestamp?
    /// The RFC 6464 audio level in -dBov (0 loudest, 127 silence), when the
    /// packet carried one.
    public var audioLevel: UInt8?
    /// Lip sync: how much later than its arrival this frame should be played
    /// so that audio and video captured together play together (from the
    /// sender reports' clock mapping), beyond the audio jitter buffer's own
    /// delay, which counts as audio's: `RemoteAudioTrack` adds it to its
    /// buffer's target. Zero for the kind that plays later, and until both
    /// kinds have been seen with sender reports.
    public var syncDelay: Duration = .zero
    /// When the receiver handed it on: the arrival of its packet (audio), or
    /// its release from the video jitter buffer. The audio jitter buffer
    /// measures the network's jitter from these.
    public var arrival: ContinuousClock.Instant?

    /// Creates a frame.
    public init(
        mid: String, kind: TrackKind, data: [UInt8], isKeyFrame: Bool, rtpTimestamp: UInt32, timestamp: Duration,
        captureTime: NTPTimestamp? = nil, audioLevel: UInt8? = nil
    ) {
        self.mid = mid
        self.kind = kind
        self.data = data
        self.isKeyFrame = isKeyFrame
        self.rtpTimestamp = rtpTimestamp
        self.timestamp = timestamp
        self.captureTime = captureTime
        self.audioLevel = audioLevel
    }
}
