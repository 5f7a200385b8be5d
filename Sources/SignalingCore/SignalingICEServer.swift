/// One ICE server as the signalling server hands it out, in W3C's
/// `RTCIceServer` shape, so a page can pass the list straight to
/// `new RTCPeerConnection({ iceServers })`.
public struct SignalingICEServer: Sendable, Hashable, Codable {
    /// `stun:`, `turn:` or `turns:` URLs.
    public var urls: [String]
    /// The TURN username (for the TURN REST API, `EXPIRY:NAME`).
    public var username: String?
    /// The TURN credential.
    public var credential: String?

    /// A server entry.
    public init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }
}
