public import CodecBridge

/// One stretch of audio received from the remote peer, as it is played out:
/// decoded, rebuilt from FEC or concealed, after the jitter buffer's wait.
public struct RemoteAudioFrame: Sendable {
    /// Where the audio came from.
    public enum Origin: Sendable, Hashable {
        /// Decoded from the packet received for it.
        case decoded
        /// Rebuilt from the in-band FEC of the packet after a lost one.
        case recoveredWithFEC
        /// Made up by the decoder for a packet that was lost or late
        /// (packet-loss concealment).
        case concealed
    }

    /// The PCM, with its media time since the stream's first packet.
    public var pcm: AudioFrame
    /// Where the audio came from.
    public var origin: Origin
    /// The RTP timestamp of its first sample (a concealed frame gets the one
    /// the lost packet would have had).
    public var rtpTimestamp: UInt32
    /// How long the packet waited between its arrival and its playout (the
    /// packet FEC came from, for ``Origin/recoveredWithFEC``); `nil` for concealment.
    public var playoutDelay: Duration?

    /// Creates a frame.
    public init(pcm: AudioFrame, origin: Origin, rtpTimestamp: UInt32, playoutDelay: Duration? = nil) {
        self.pcm = pcm
        self.origin = origin
        self.rtpTimestamp = rtpTimestamp
        self.playoutDelay = playoutDelay
    }

    /// Whether the decoder made it up for a lost packet (packet-loss concealment).
    public var isConcealed: Bool { origin == .concealed }
}
