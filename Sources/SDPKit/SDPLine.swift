/// One line of a session or media section after its first line(s), in the
/// order it was read or will be printed.
///
/// Lines SDPKit does not interpret are kept verbatim in ``other(type:value:)``
/// so that printing a parsed description gives back the same text.
public enum SDPLine: Sendable, Hashable, CustomStringConvertible {
    /// `i=`: session or media title.
    case information(String)
    /// `u=`: URI of a description.
    case uri(String)
    /// `e=`: email address.
    case email(String)
    /// `p=`: phone number.
    case phone(String)
    /// `c=`: connection data.
    case connection(ConnectionData)
    /// `b=`: bandwidth.
    case bandwidth(Bandwidth)
    /// `t=`: session timing.
    case timing(Timing)
    /// `r=`: repeat times, verbatim.
    case repeatTimes(String)
    /// `z=`: time zone adjustments, verbatim.
    case timeZones(String)
    /// `k=`: encryption key (obsolete), verbatim.
    case encryptionKey(String)
    /// `a=`: an attribute.
    case attribute(SDPAttribute)
    /// A line of any other type letter, verbatim.
    case other(type: Character, value: String)

    /// The line's type letter.
    public var type: Character {
        switch self {
        case .information: "i"
        case .uri: "u"
        case .email: "e"
        case .phone: "p"
        case .connection: "c"
        case .bandwidth: "b"
        case .timing: "t"
        case .repeatTimes: "r"
        case .timeZones: "z"
        case .encryptionKey: "k"
        case .attribute: "a"
        case .other(let type, _): type
        }
    }

    /// The text after `<type>=`.
    public var value: String {
        switch self {
        case .information(let text), .uri(let text), .email(let text), .phone(let text),
            .repeatTimes(let text), .timeZones(let text), .encryptionKey(let text):
            text
        case .connection(let connection): connection.description
        case .bandwidth(let bandwidth): bandwidth.description
        case .timing(let timing): timing.description
        case .attribute(let attribute): attribute.valueText
        case .other(_, let value): value
        }
    }

    /// The whole line without its line ending, such as `a=rtcp-mux`.
    public var description: String { "\(type)=\(value)" }

    /// The attribute, when this is an `a=` line.
    public var attribute: SDPAttribute? {
        if case .attribute(let attribute) = self { return attribute }
        return nil
    }

    /// Parses one line's value, given its type letter.
    static func parse(type: Character, value: String) throws(SDPError) -> SDPLine {
        switch type {
        case "i": return .information(value)
        case "u": return .uri(value)
        case "e": return .email(value)
        case "p": return .phone(value)
        case "c": return .connection(try ConnectionData(parsing: value))
        case "b": return .bandwidth(try Bandwidth(parsing: value))
        case "t": return .timing(try Timing(parsing: value))
        case "r": return .repeatTimes(value)
        case "z": return .timeZones(value)
        case "k": return .encryptionKey(value)
        case "a": return .attribute(try SDPAttribute(parsingLineValue: value))
        default: return .other(type: type, value: value)
        }
    }
}
