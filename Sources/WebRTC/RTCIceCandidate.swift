/// A trickled ICE candidate, as `RTCIceCandidateInit` in a browser.
public struct RTCIceCandidate: Sendable, Hashable {
    /// The `candidate:...` attribute (no `a=`); empty marks the end of candidates.
    public var candidate: String
    /// The `mid` of the media section it belongs to.
    public var sdpMid: String?
    /// The index of the media section it belongs to.
    public var sdpMLineIndex: Int?
    /// The ICE username fragment it belongs to.
    public var usernameFragment: String?

    /// Creates a candidate.
    public init(candidate: String, sdpMid: String? = nil, sdpMLineIndex: Int? = nil, usernameFragment: String? = nil) {
        self.candidate = candidate
        self.sdpMid = sdpMid
        self.sdpMLineIndex = sdpMLineIndex
        self.usernameFragment = usernameFragment
    }
}
