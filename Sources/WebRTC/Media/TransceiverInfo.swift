/// A snapshot of one transceiver, as `RTCRtpTransceiver` shows it.
public struct TransceiverInfo: Sendable, Hashable {
    /// The connection's handle for the transceiver (what `setDirection` takes).
    public var id: Int
    /// The media section's identification; `nil` until it is negotiated.
    public var mid: String?
    /// Audio or video.
    public var kind: TrackKind
    /// What this side wants (set by `addTrack`, `addTransceiver` or `setDirection`).
    public var direction: TransceiverDirection
    /// What the last completed negotiation settled on; `nil` before one, or
    /// when the m-section was rejected.
    public var currentDirection: TransceiverDirection?
    /// The codec the negotiation settled on.
    public var codec: NegotiatedCodec?
    /// The SSRC this side sends with, when it sends.
    public var sendSSRC: UInt32?
    /// The SSRC the remote side sends with, once known.
    public var receiveSSRC: UInt32?
}
