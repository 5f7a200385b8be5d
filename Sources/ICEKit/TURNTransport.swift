/// How a TURN client reaches its server (the relayed side is always UDP).
public enum TURNTransport: String, Hashable, Sendable, CustomStringConvertible {
    /// Datagrams over UDP (`turn:host` or `?transport=udp`).
    case udp
    /// A TCP connection (`turn:host?transport=tcp`), messages framed as RFC 8656 section 12.5 says.
    case tcp
    /// TLS over TCP (`turns:host`), framed like TCP.
    case tls

    /// Whether messages share a byte stream (TCP or TLS) rather than datagrams.
    public var isStream: Bool { self != .udp }

    /// `udp`, `tcp` or `tls`.
    public var description: String { rawValue }
}
