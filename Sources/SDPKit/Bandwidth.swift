/// A `b=` line: a bandwidth limit such as `AS:30` or `TIAS:500000`
/// (RFC 8866 section 5.8).
public struct Bandwidth: Sendable, Hashable, CustomStringConvertible {
    /// The bandwidth type, `AS`, `CT`, `TIAS` or an extension.
    public var type: String
    /// The limit, in the type's unit (kilobits per second for `AS`, bits per second for `TIAS`).
    public var value: UInt64

    /// Creates a bandwidth line.
    public init(type: String, value: UInt64) {
        self.type = type
        self.value = value
    }

    /// Parses the value of a `b=` line.
    init(parsing text: String) throws(SDPError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw SDPError(.invalidBandwidth, "b= needs <bwtype>:<bandwidth>")
        }
        let type = text[..<colon]
        guard TextScanning.isToken(type), let value = TextScanning.unsigned(text[text.index(after: colon)...], as: UInt64.self) else {
            throw SDPError(.invalidBandwidth, "b= needs a type token and a number")
        }
        self.init(type: String(type), value: value)
    }

    /// The value of the `b=` line.
    public var description: String { "\(type):\(value)" }
}
