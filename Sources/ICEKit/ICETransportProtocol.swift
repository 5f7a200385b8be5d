/// The transport protocol of a candidate. The agent checks UDP candidates only
/// and quietly ignores TCP ones.
public struct ICETransportProtocol: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The protocol's name in lowercase (`udp`, `tcp`).
    public var rawValue: String
    /// Creates a protocol from its name; case does not matter (`UDP` is `udp`).
    public init(rawValue: String) { self.rawValue = rawValue.lowercased() }

    /// UDP.
    public static let udp = ICETransportProtocol(rawValue: "udp")
    /// TCP (RFC 6544).
    public static let tcp = ICETransportProtocol(rawValue: "tcp")

    /// The name.
    public var description: String { rawValue }
}
