/// The session-level `a=group` attribute (RFC 5888), such as `BUNDLE 0 1`
/// (RFC 8843).
public struct GroupAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The grouping semantics, such as `BUNDLE` or `LS`.
    public var semantics: String
    /// The mids of the grouped media sections, in order.
    public var mids: [String]

    /// Creates a group attribute.
    public init(semantics: String, mids: [String]) {
        self.semantics = semantics
        self.mids = mids
    }

    /// Parses the attribute value, `<semantics> <mid>…`.
    init(parsing text: Substring) throws(SDPError) {
        let words = TextScanning.words(text)
        guard let first = words.first else {
            throw SDPError(.invalidAttribute, "group needs <semantics> [<mid>…]")
        }
        self.init(semantics: String(first), mids: words.dropFirst().map(String.init))
    }

    /// The attribute value.
    public var description: String { ([semantics] + mids).joined(separator: " ") }
}
