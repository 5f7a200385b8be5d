/// One RTCP feedback mechanism (RFC 4585 section 4.2), such as `nack`,
/// `nack pli`, `ccm fir`, `goog-remb` or `transport-cc`.
public struct RTCPFeedback: Sendable, Hashable, CustomStringConvertible {
    /// The feedback type, such as `nack` or `ccm`.
    public var type: String
    /// The parameter after the type, such as `pli` or `fir`, when there is one.
    public var parameter: String?

    /// Creates a feedback mechanism.
    public init(type: String, parameter: String? = nil) {
        self.type = type
        self.parameter = parameter
    }

    /// Generic NACK (RFC 4585).
    public static let nack = RTCPFeedback(type: "nack")
    /// Picture loss indication, `nack pli` (RFC 4585).
    public static let pli = RTCPFeedback(type: "nack", parameter: "pli")
    /// Full intra request, `ccm fir` (RFC 5104).
    public static let fir = RTCPFeedback(type: "ccm", parameter: "fir")
    /// Receiver estimated maximum bitrate, `goog-remb`.
    public static let remb = RTCPFeedback(type: "goog-remb")
    /// Transport-wide congestion control feedback, `transport-cc`.
    public static let transportCC = RTCPFeedback(type: "transport-cc")

    /// `type` or `type parameter`.
    public var description: String {
        if let parameter { return "\(type) \(parameter)" }
        return type
    }
}

/// The `a=rtcp-fb` attribute (RFC 4585): a feedback mechanism for one
/// payload type, or for all of them (`*`).
public struct RTCPFeedbackAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The payload type, or nil for `*` (every payload type of the section).
    public var payloadType: UInt8?
    /// The feedback mechanism.
    public var feedback: RTCPFeedback

    /// Creates an rtcp-fb attribute.
    public init(payloadType: UInt8?, feedback: RTCPFeedback) {
        self.payloadType = payloadType
        self.feedback = feedback
    }

    /// Parses the attribute value, `<pt|*> <type> [<parameter>]`.
    init(parsing text: Substring) throws(SDPError) {
        guard let space = text.firstIndex(of: " ") else {
            throw SDPError(.invalidAttribute, "rtcp-fb needs <payload type> <feedback type>")
        }
        let format = text[..<space]
        var payloadType: UInt8?
        if format != "*" {
            guard let value = TextScanning.payloadType(format) else {
                throw SDPError(.invalidPayloadType, "rtcp-fb payload type must be * or a number from 0 to 127")
            }
            payloadType = value
        }
        let rest = text[text.index(after: space)...].trimmingSpaces()
        let type: Substring
        var parameter: String?
        if let gap = rest.firstIndex(of: " ") {
            type = rest[..<gap]
            let tail = rest[rest.index(after: gap)...].trimmingSpaces()
            parameter = tail.isEmpty ? nil : String(tail)
        } else {
            type = rest
        }
        guard TextScanning.isToken(type) else {
            throw SDPError(.invalidAttribute, "rtcp-fb needs a feedback type")
        }
        self.init(payloadType: payloadType, feedback: RTCPFeedback(type: String(type), parameter: parameter))
    }

    /// The attribute value.
    public var description: String {
        "\(payloadType.map(String.init) ?? "*") \(feedback)"
    }
}
