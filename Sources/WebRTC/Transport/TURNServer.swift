public import ICEKit

/// A TURN server the core allocates a relayed candidate on: a resolved
/// address, the transport to it, and the long-term credential.
public struct TURNServer: Sendable, Hashable {
    /// The server's address.
    public var address: ICETransportAddress
    /// UDP, TCP or TLS to the server.
    public var transport: TURNTransport
    /// The TURN username.
    public var username: String
    /// The TURN credential (password).
    public var credential: String
    /// The host name from the URL, for TLS's server name check (nil for an IP literal).
    public var hostName: String?

    /// A server from its parts.
    public init(address: ICETransportAddress, transport: TURNTransport = .udp, username: String, credential: String, hostName: String? = nil) {
        self.address = address
        self.transport = transport
        self.username = username
        self.credential = credential
        self.hostName = hostName
    }
}

/// Which candidates ICE may use, as W3C's `RTCIceTransportPolicy`.
public enum ICETransportPolicy: String, Sendable, Hashable {
    /// Every candidate: host, server-reflexive and relayed.
    case all
    /// Only relayed candidates: media always goes through a TURN server,
    /// and no local address is revealed to the peer.
    case relay
}
