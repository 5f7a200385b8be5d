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

    /// The STUN server addresses of `stun:` URLs (RFC 7064): `stun:HOST[:PORT]`,
    /// port 3478 by default, HOST an IPv4 address or a bracketed IPv6 one.
    ///
    /// - Throws: `PeerConnectionError` `.invalidConfiguration` for a malformed
    ///   `stun:` URL or a host name (names are not resolved yet). Other schemes
    ///   (TURN) are not used yet and are skipped.
    public func stunAddresses() throws(PeerConnectionError) -> [ICETransportAddress] {
        var addresses: [ICETransportAddress] = []
        for url in urls where url.lowercased().hasPrefix("stun:") {
            var rest = Substring(url.dropFirst("stun:".count))
            if let query = rest.firstIndex(of: "?") { rest = rest[..<query] }
            var host = rest
            var port: UInt16 = 3478
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else {
                    throw PeerConnectionError(.invalidConfiguration, "\(url): an IPv6 host needs its closing bracket")
                }
                host = rest[rest.index(after: rest.startIndex)..<close]
                let after = rest[rest.index(after: close)...]
                if after.hasPrefix(":") {
                    guard let parsed = UInt16(after.dropFirst()), parsed != 0 else {
                        throw PeerConnectionError(.invalidConfiguration, "\(url): the port must be 1-65535")
                    }
                    port = parsed
                } else if !after.isEmpty {
                    throw PeerConnectionError(.invalidConfiguration, "\(url) is not stun:HOST[:PORT]")
                }
            } else if let colon = rest.lastIndex(of: ":") {
                host = rest[..<colon]
                guard let parsed = UInt16(rest[rest.index(after: colon)...]), parsed != 0 else {
                    throw PeerConnectionError(.invalidConfiguration, "\(url): the port must be 1-65535")
                }
                port = parsed
            }
            guard let address = ICETransportAddress(host: String(host), port: port), !address.ip.isUnspecified else {
                throw PeerConnectionError(
                    .invalidConfiguration, "\(url): the host must be an IP address (host names are not resolved yet)")
            }
            addresses.append(address)
        }
        return addresses
    }
}
