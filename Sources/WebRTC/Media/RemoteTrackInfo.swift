/// The remote side's track on one transceiver, as negotiated.
public struct RemoteTrackInfo: Sendable, Hashable {
    /// The transceiver's mid.
    public var mid: String
    /// Audio or video.
    public var kind: TrackKind
    /// The codec it is sent with.
    public var codec: NegotiatedCodec
    /// The remote stream ids (`a=msid`), as `RTCTrackEvent.streams`.
    public var streamIDs: [String]
    /// The remote track id, if signalled.
    public var trackID: String?
}
