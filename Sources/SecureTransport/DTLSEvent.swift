/// What a `DTLSEndpoint` reports through `pollEvent()`.
public enum DTLSEvent: Sendable, Hashable {
    /// The handshake finished, the peer's certificate matched its fingerprint, and
    /// SRTP keys were exported. Reported once.
    case connected(SRTPKeyingMaterial)
    /// The connection failed; no more events follow. When this comes before
    /// `.connected`, no keying material was ever produced.
    case failed(SecureTransportError)
    /// The connection closed with a `close_notify` (sent by either side); no more events follow.
    case closed
    /// Application data the peer sent over the connection (for example SCTP for data channels).
    case applicationData([UInt8])
}
