/// One trickled ICE candidate as the W3C `RTCIceCandidateInit` carries it
/// (what `JSON.stringify(event.candidate)` gives in a browser).
///
/// The signalling messages carry this type and a `PeerConnection` takes and
/// gives it, unchanged.
public struct RTCIceCandidate: Sendable, Hashable, Codable {
    /// The `candidate:` attribute line, without the `a=` prefix. An empty
    /// string marks the end of candidates.
    public var candidate: String
    /// The media stream identification (`a=mid`) the candidate belongs to.
    public var sdpMid: String?
    /// The index of the m-line the candidate belongs to.
    public var sdpMLineIndex: Int?
    /// The ICE username fragment of the generation this candidate belongs to.
    public var usernameFragment: String?

    /// Creates a candidate from its parts.
    public init(candidate: String, sdpMid: String? = nil, sdpMLineIndex: Int? = nil, usernameFragment: String? = nil) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
        self.usernameFragment = usernameFragment
    }
}
