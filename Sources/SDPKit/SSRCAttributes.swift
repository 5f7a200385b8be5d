/// The `a=ssrc` attribute (RFC 5576): a property of one RTP source, such as
/// `1226325698 cname:MirmH0hpOlY8D6dt`.
public struct SSRCAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The synchronization source.
    public var ssrc: UInt32
    /// The property name, such as `cname` or `msid`.
    public var name: String
    /// The property value (it may contain spaces, as `msid`'s does), when there is one.
    public var value: String?

    /// Creates an ssrc attribute.
    public init(ssrc: UInt32, name: String, value: String?) {
        self.ssrc = ssrc
        self.name = name
        self.value = value
    }

    /// Parses the attribute value, `<ssrc> <name>[:<value>]`.
    init(parsing text: Substring) throws(SDPError) {
        guard let space = text.firstIndex(of: " "), let ssrc = TextScanning.unsigned(text[..<space], as: UInt32.self) else {
            throw SDPError(.invalidAttribute, "ssrc needs <ssrc> <attribute>[:<value>] with a 32-bit ssrc")
        }
        let rest = text[text.index(after: space)...]
        let name: Substring
        var value: String?
        if let colon = rest.firstIndex(of: ":") {
            name = rest[..<colon]
            value = String(rest[rest.index(after: colon)...])
        } else {
            name = rest
        }
        guard TextScanning.isToken(name) else {
            throw SDPError(.invalidAttribute, "ssrc needs an attribute name")
        }
        self.init(ssrc: ssrc, name: String(name), value: value)
    }

    /// The attribute value.
    public var description: String {
        if let value { return "\(ssrc) \(name):\(value)" }
        return "\(ssrc) \(name)"
    }
}

/// The `a=ssrc-group` attribute (RFC 5576): RTP sources that belong
/// together, such as `FID 1226325698 2460093871` (a stream and its RTX stream).
public struct SSRCGroupAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The grouping semantics, such as `FID` or `SIM`.
    public var semantics: String
    /// The sources, in order.
    public var ssrcs: [UInt32]

    /// Creates an ssrc-group attribute.
    public init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }

    /// Parses the attribute value, `<semantics> <ssrc>…`.
    init(parsing text: Substring) throws(SDPError) {
        let words = TextScanning.words(text)
        guard let first = words.first else {
            throw SDPError(.invalidAttribute, "ssrc-group needs <semantics> <ssrc>…")
        }
        var ssrcs: [UInt32] = []
        for word in words.dropFirst() {
            guard let ssrc = TextScanning.unsigned(word, as: UInt32.self) else {
                throw SDPError(.invalidAttribute, "ssrc-group sources must be 32-bit numbers")
            }
            ssrcs.append(ssrc)
        }
        self.init(semantics: String(first), ssrcs: ssrcs)
    }

    /// The attribute value.
    public var description: String {
        ([semantics] + ssrcs.map(String.init)).joined(separator: " ")
    }
}
