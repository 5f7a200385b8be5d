public import ICEKit

/// One `stun:`, `stuns:`, `turn:` or `turns:` URL (RFC 7064, RFC 7065):
/// `scheme:HOST[:PORT][?transport=udp|tcp]`, HOST a name, an IPv4 address or
/// a bracketed IPv6 one. The port defaults to 3478 (5349 for `stuns:` and
/// `turns:`); `turn:` goes over UDP unless `?transport=tcp`, `turns:` over TLS.
public struct ICEServerURL: Sendable, Hashable, CustomStringConvertible {
    /// The URL scheme.
    public enum Scheme: String, Sendable, Hashable {
        /// A STUN server.
        case stun
        /// A STUN server over TLS.
        case stuns
        /// A TURN server.
        case turn
        /// A TURN server over TLS.
        case turns
    }

    /// The scheme.
    public var scheme: Scheme
    /// The host: a name, or an IP address (without brackets).
    public var host: String
    /// The port.
    public var port: UInt16
    /// How a TURN client reaches the server (UDP for STUN).
    public var transport: TURNTransport

    /// The host as an IP address, nil for a name.
    public var address: ICETransportAddress? { ICETransportAddress(host: host, port: port) }

    /// Whether this is a TURN server.
    public var isTURN: Bool { scheme == .turn || scheme == .turns }

    /// Parses a URL.
    ///
    /// - Throws: `PeerConnectionError` `.invalidConfiguration` naming what is wrong.
    public init(parsing url: String) throws(PeerConnectionError) {
        func invalid(_ why: String) -> PeerConnectionError {
            PeerConnectionError(.invalidConfiguration, "\(url): \(why)")
        }
        guard let colon = url.firstIndex(of: ":"), let scheme = Scheme(rawValue: url[..<colon].lowercased()) else {
            throw invalid("the scheme must be stun:, stuns:, turn: or turns:")
        }
        self.scheme = scheme
        var rest = Substring(url[url.index(after: colon)...])
        var query: Substring?
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        var host = rest
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw invalid("an IPv6 host needs its closing bracket") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                throw invalid("expected \(scheme):HOST[:PORT]")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        }
        guard !host.isEmpty, !host.contains("/"), !host.contains("@") else { throw invalid("expected \(scheme):HOST[:PORT]") }
        let secure = scheme == .stuns || scheme == .turns
        if let portText {
            guard let port = UInt16(portText), port != 0 else { throw invalid("the port must be 1-65535") }
            self.port = port
        } else {
            self.port = secure ? 5349 : 3478
        }
        self.host = String(host)
        if let address = ICETransportAddress(host: self.host, port: port), address.ip.isUnspecified {
            throw invalid("the host cannot be an unspecified address")
        }
        switch query?.lowercased() {
        case nil:
            transport = scheme == .turns || scheme == .stuns ? .tls : .udp
        case "transport=udp":
            guard !secure else { throw invalid("\(scheme): runs over TCP (transport=tcp)") }
            transport = .udp
        case "transport=tcp":
            transport = secure ? .tls : .tcp
        default:
            throw invalid("the only query is ?transport=udp or ?transport=tcp")
        }
        if !isTURN, query != nil { throw invalid("a \(scheme): URL takes no ?transport") }
    }

    /// The URL in its usual spelling.
    public var description: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        var text = "\(scheme.rawValue):\(hostPart):\(port)"
        if scheme == .turn, transport == .tcp { text += "?transport=tcp" }
        return text
    }
}
