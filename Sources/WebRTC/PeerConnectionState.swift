/// The overall state of a connection, as `RTCPeerConnectionState`.
public enum PeerConnectionState: String, Sendable, Hashable {
    /// Nothing has happened yet.
    case new
    /// ICE or DTLS is in progress.
    case connecting
    /// ICE found a path and DTLS-SRTP is up: media can flow.
    case connected
    /// The path was lost for a while (consent checks unanswered); it may come back.
    case disconnected
    /// ICE or DTLS failed (including a certificate fingerprint mismatch).
    case failed
    /// `close()` was called.
    case closed
}
