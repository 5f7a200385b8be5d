/// One `a=` attribute: its name, its value exactly as written, and its
/// typed ``content`` when SDPKit knows the attribute.
///
/// An attribute is immutable, so the text and the typed content always
/// agree: printing gives back the text it was parsed from. Build new
/// attributes from typed content with ``init(_:)``.
public struct SDPAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The typed meaning of an attribute.
    public enum Content: Sendable, Hashable {
        /// `candidate`.
        case candidate(ICECandidate)
        /// `rtpmap`.
        case rtpMap(RTPMapAttribute)
        /// `fmtp` with a numeric format.
        case formatParameters(FormatParametersAttribute)
        /// `rtcp-fb`.
        case rtcpFeedback(RTCPFeedbackAttribute)
        /// `extmap`.
        case extensionMap(RTPHeaderExtension)
        /// `mid`.
        case mid(String)
        /// `msid`.
        case msid(MSIDAttribute)
        /// `ssrc`.
        case ssrc(SSRCAttribute)
        /// `ssrc-group`.
        case ssrcGroup(SSRCGroupAttribute)
        /// `group` (session level).
        case group(GroupAttribute)
        /// `rtcp-mux`.
        case rtcpMux
        /// `rtcp-rsize`.
        case rtcpReducedSize
        /// `ice-ufrag`.
        case iceUfrag(String)
        /// `ice-pwd`.
        case icePwd(String)
        /// `ice-options`, its space-separated tokens.
        case iceOptions([String])
        /// `fingerprint`.
        case fingerprint(Fingerprint)
        /// `setup`.
        case setup(SetupRole)
        /// `sendrecv`, `sendonly`, `recvonly` or `inactive`.
        case direction(Direction)
        /// `end-of-candidates`.
        case endOfCandidates
        /// `extmap-allow-mixed`.
        case extmapAllowMixed
        /// `msid-semantic`.
        case msidSemantic(MSIDSemanticAttribute)
        /// Any other attribute, or a known name with a form SDPKit leaves alone
        /// (such as `fmtp` for a non-numeric format); kept verbatim.
        case other(name: String, value: String?)
    }

    /// The attribute name, such as `rtpmap`.
    public let name: String
    /// The text after `name:` exactly as written, or nil for a property
    /// attribute such as `rtcp-mux`.
    public let value: String?
    /// The typed meaning.
    public let content: Content

    /// Creates an attribute from typed content, writing its canonical text.
    public init(_ content: Content) {
        let (name, value) = SDPAttribute.text(of: content)
        self.name = name
        self.value = value
        if case .other = content, let parsed = try? SDPAttribute.parse(name: name, value: value) {
            self.content = parsed
        } else {
            self.content = content
        }
    }

    /// Parses an attribute from its name and value (the text after `name:`,
    /// or nil for a property attribute).
    public init(name: String, value: String?) throws(SDPError) {
        guard TextScanning.isToken(name[...]), !name.contains(":") else {
            throw SDPError(.invalidAttribute, "an attribute name must be a non-empty token")
        }
        self.name = name
        self.value = value
        self.content = try SDPAttribute.parse(name: name, value: value)
    }

    /// Parses the text after `a=`.
    init(parsingLineValue text: String) throws(SDPError) {
        if let colon = text.firstIndex(of: ":") {
            try self.init(name: String(text[..<colon]), value: String(text[text.index(after: colon)...]))
        } else {
            try self.init(name: text, value: nil)
        }
    }

    /// `name` or `name:value`: the text after `a=`.
    public var valueText: String {
        if let value { return "\(name):\(value)" }
        return name
    }

    /// The whole line without its line ending, such as `a=mid:0`.
    public var description: String { "a=" + valueText }

    /// Equal when name and value are equal (the content follows from them).
    public static func == (lhs: SDPAttribute, rhs: SDPAttribute) -> Bool {
        lhs.name == rhs.name && lhs.value == rhs.value
    }

    /// Hashes name and value.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(value)
    }

    // MARK: Typed parsing and printing

    static func parse(name: String, value: String?) throws(SDPError) -> Content {
        guard let value else {
            switch name {
            case "rtcp-mux": return .rtcpMux
            case "rtcp-rsize": return .rtcpReducedSize
            case "end-of-candidates": return .endOfCandidates
            case "extmap-allow-mixed": return .extmapAllowMixed
            case "sendrecv", "sendonly", "recvonly", "inactive":
                return .direction(Direction(rawValue: name) ?? .sendrecv)
            case "candidate", "rtpmap", "fmtp", "rtcp-fb", "extmap", "mid", "msid", "ssrc", "ssrc-group", "group",
                "ice-ufrag", "ice-pwd", "ice-options", "fingerprint", "setup", "msid-semantic":
                throw SDPError(name == "candidate" ? .invalidCandidate : .invalidAttribute, "\(name) needs a value")
            default: return .other(name: name, value: nil)
            }
        }
        let text = value[...]
        switch name {
        case "candidate": return .candidate(try ICECandidate(parsingValue: text))
        case "rtpmap": return .rtpMap(try RTPMapAttribute(parsing: text))
        case "fmtp":
            if let parameters = try FormatParametersAttribute(parsing: text) { return .formatParameters(parameters) }
            return .other(name: name, value: value)
        case "rtcp-fb": return .rtcpFeedback(try RTCPFeedbackAttribute(parsing: text))
        case "extmap": return .extensionMap(try RTPHeaderExtension(parsing: text))
        case "mid":
            guard TextScanning.isToken(text) else { throw SDPError(.invalidAttribute, "mid must be a non-empty token") }
            return .mid(value)
        case "msid": return .msid(try MSIDAttribute(parsing: text))
        case "ssrc": return .ssrc(try SSRCAttribute(parsing: text))
        case "ssrc-group": return .ssrcGroup(try SSRCGroupAttribute(parsing: text))
        case "group": return .group(try GroupAttribute(parsing: text))
        case "ice-ufrag":
            guard TextScanning.isToken(text) else { throw SDPError(.invalidAttribute, "ice-ufrag must be a non-empty token") }
            return .iceUfrag(value)
        case "ice-pwd":
            guard TextScanning.isToken(text) else { throw SDPError(.invalidAttribute, "ice-pwd must be a non-empty token") }
            return .icePwd(value)
        case "ice-options": return .iceOptions(TextScanning.words(text).map(String.init))
        case "fingerprint": return .fingerprint(try Fingerprint(parsing: text))
        case "setup":
            guard let role = SetupRole(rawValue: value) else {
                throw SDPError(.invalidAttribute, "setup must be actpass, active, passive or holdconn")
            }
            return .setup(role)
        case "msid-semantic": return .msidSemantic(try MSIDSemanticAttribute(parsing: text))
        default: return .other(name: name, value: value)
        }
    }

    static func text(of content: Content) -> (name: String, value: String?) {
        switch content {
        case .candidate(let candidate): ("candidate", candidate.attributeValue)
        case .rtpMap(let map): ("rtpmap", map.description)
        case .formatParameters(let parameters): ("fmtp", parameters.description)
        case .rtcpFeedback(let feedback): ("rtcp-fb", feedback.description)
        case .extensionMap(let extensionMap): ("extmap", extensionMap.description)
        case .mid(let mid): ("mid", mid)
        case .msid(let msid): ("msid", msid.description)
        case .ssrc(let ssrc): ("ssrc", ssrc.description)
        case .ssrcGroup(let group): ("ssrc-group", group.description)
        case .group(let group): ("group", group.description)
        case .rtcpMux: ("rtcp-mux", nil)
        case .rtcpReducedSize: ("rtcp-rsize", nil)
        case .iceUfrag(let ufrag): ("ice-ufrag", ufrag)
        case .icePwd(let pwd): ("ice-pwd", pwd)
        case .iceOptions(let options): ("ice-options", options.joined(separator: " "))
        case .fingerprint(let fingerprint): ("fingerprint", fingerprint.description)
        case .setup(let role): ("setup", role.rawValue)
        case .direction(let direction): (direction.rawValue, nil)
        case .endOfCandidates: ("end-of-candidates", nil)
        case .extmapAllowMixed: ("extmap-allow-mixed", nil)
        case .msidSemantic(let semantic): ("msid-semantic", semantic.description)
        case .other(let name, let value): (name, value)
        }
    }
}
