/// The `a=setup` attribute (RFC 4145, RFC 8842): which side opens the DTLS
/// association.
public enum SetupRole: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Either role; what an offer says.
    case actpass
    /// This side is the DTLS client.
    case active
    /// This side is the DTLS server.
    case passive
    /// No connection for now.
    case holdconn

    /// The attribute value, such as `actpass`.
    public var description: String { rawValue }
}
