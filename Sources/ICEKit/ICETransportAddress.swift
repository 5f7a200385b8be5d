/// An IP address and UDP/TCP port: where a candidate lives, where a datagram
/// came from or goes to. A plain value with no socket types in it.
public struct ICETransportAddress: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The IP address.
    public var ip: ICEIPAddress
    /// The port.
    public var port: UInt16

    /// An address from its parts.
    public init(ip: ICEIPAddress, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// Parses `host` as an IPv4 or IPv6 literal (no brackets). Returns nil if it is not one.
    public init?(host: String, port: UInt16) {
        guard let ip = ICEIPAddress(host) else { return nil }
        self.init(ip: ip, port: port)
    }

    /// Parses `"192.0.2.1:3478"` or `"[2001:db8::1]:3478"`.
    public init?(_ description: String) {
        let host: Substring
        let portText: Substring
        if description.hasPrefix("[") {
            guard let close = description.firstIndex(of: "]") else { return nil }
            host = description[description.index(after: description.startIndex)..<close]
            let rest = description[description.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            portText = rest.dropFirst()
        } else {
            guard let colon = description.lastIndex(of: ":") else { return nil }
            host = description[..<colon]
            portText = description[description.index(after: colon)...]
            // An unbracketed IPv6 literal would be ambiguous.
            if host.contains(":") { return nil }
        }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ ("0"..."9").contains($0) }), let port = UInt16(portText) else { return nil }
        self.init(host: String(host), port: port)
    }

    /// The address family.
    public var family: ICEIPAddress.Family { ip.family }

    /// `"192.0.2.1:3478"` or `"[2001:db8::1]:3478"`.
    public var description: String {
        switch ip.family {
        case .ipv4: "\(ip):\(port)"
        case .ipv6: "[\(ip)]:\(port)"
        }
    }
}
