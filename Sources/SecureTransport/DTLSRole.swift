/// Which side of the DTLS handshake an endpoint plays.
///
/// In WebRTC the SDP `a=setup` attribute decides it (RFC 8842): `active` is the
/// client, `passive` the server, and the answerer of an `actpass` offer picks.
public enum DTLSRole: Sendable, Hashable, CustomStringConvertible {
    /// Sends the ClientHello (`a=setup:active`).
    case client
    /// Waits for the ClientHello (`a=setup:passive`).
    case server

    /// `client` or `server`.
    public var description: String {
        switch self {
        case .client: "client"
        case .server: "server"
        }
    }
}
