public import ICEKit

/// A STUN or TURN server, as W3C's `RTCIceServer`: `urls` such as
/// `stun:198.51.100.1:3478`, and for TURN a username and credential.
public struct ICEServer: Sendable, Hashable {
    /// The server's URLs (`stun:`, `stuns:`, `turn:`, `turns:`).
    public var urls: [String]
    /// The TURN username.
    public var username: String?
    /// The TURN credential.
    public var credential: String?

    /// Creates a server entry.
    public init(urls: [String], username: String? = nil, credential: String? = nil) {
        self.urls = urls
        self.username = username
        self.credential = credential
    }

    /// The parsed URLs.
    ///
    /// - Throws: `PeerConnectionError` `.invalidConfiguration` for a malformed
    ///   URL, or a TURN URL without a username and credential.
    public func parsedURLs() throws(PeerConnectionError) -> [ICEServerURL] {
        var parsed: [ICEServerURL] = []
        for url in urls {
            let entry = try ICEServerURL(parsing: url)
            if entry.isTURN, username == nil || credential == nil {
                throw PeerConnectionError(.invalidConfiguration, "\(url): a TURN server needs a username and a credential")
            }
            parsed.append(entry)
        }
        return parsed
    }

    /// The STUN server addresses of `stun:` URLs whose host is an IP address.
    ///
    /// - Throws: `PeerConnectionError` `.invalidConfiguration` for a malformed
    ///   URL or a `stun:` URL with a host name (``PeerConnection`` resolves
    ///   names; this does not).
    public func stunAddresses() throws(PeerConnectionError) -> [ICETransportAddress] {
        var addresses: [ICETransportAddress] = []
        for url in try parsedURLs() where url.scheme == .stun {
            guard let address = url.address else {
                throw PeerConnectionError(.invalidConfiguration, "\(url): the host is a name; resolve it first")
            }
            addresses.append(address)
        }
        return addresses
    }
}

extension [ICEServer] {
    /// The STUN and TURN servers of these entries, host names resolved:
    /// `stun:` URLs give STUN servers, `turn:` and `turns:` URLs TURN
    /// servers with the entry's credential (`stuns:` is skipped: STUN over
    /// TLS gives the same mapped address as over UDP only rarely).
    func resolved() async throws(PeerConnectionError) -> (stun: [ICETransportAddress], turn: [TURNServer]) {
        var stun: [ICETransportAddress] = []
        var turn: [TURNServer] = []
        for server in self {
            for url in try server.parsedURLs() {
                switch url.scheme {
                case .stuns:
                    continue
                case .stun:
                    stun.append(contentsOf: try await HostResolver.resolve(url.host, port: url.port).prefix(1))
                case .turn, .turns:
                    guard let address = try await HostResolver.resolve(url.host, port: url.port).first else { continue }
                    turn.append(TURNServer(
                        address: address, transport: url.transport, username: server.username ?? "",
                        credential: server.credential ?? "", hostName: url.address == nil ? url.host : nil))
                }
            }
        }
        return (stun, turn)
    }
}
