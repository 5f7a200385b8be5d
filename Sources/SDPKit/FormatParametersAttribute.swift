/// The `a=fmtp` attribute (RFC 8866 section 6.15): format parameters of a
/// payload type, such as `111 minptime=10;useinbandfec=1` or `97 apt=96`.
public struct FormatParametersAttribute: Sendable, Hashable, CustomStringConvertible {
    /// The payload type the parameters apply to.
    public var payloadType: UInt8
    /// The parameters as written (not always `key=value` pairs: RED writes `111/111`).
    public var parameters: String

    /// Creates an fmtp attribute.
    public init(payloadType: UInt8, parameters: String) {
        self.payloadType = payloadType
        self.parameters = parameters
    }

    /// Parses the attribute value, `<pt> <parameters>`; nil (not an error)
    /// when the format is not numeric, since fmtp is also used for non-RTP formats.
    init?(parsing text: Substring) throws(SDPError) {
        let format: Substring
        let rest: Substring
        if let space = text.firstIndex(of: " ") {
            format = text[..<space]
            rest = text[text.index(after: space)...]
        } else {
            format = text
            rest = ""
        }
        guard format.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), !format.isEmpty else { return nil }
        guard let payloadType = TextScanning.payloadType(format) else {
            throw SDPError(.invalidPayloadType, "fmtp payload type must be a number from 0 to 127")
        }
        self.init(payloadType: payloadType, parameters: String(rest))
    }

    /// The `key=value` pairs of ``parameters`` split on `;`, in order; pieces
    /// without `=` are left out.
    public var pairs: [(key: String, value: String)] {
        FormatParametersAttribute.pairs(of: parameters)
    }

    /// Splits a parameter string on `;` into `key=value` pairs (keys and values trimmed of spaces).
    static func pairs(of parameters: String) -> [(key: String, value: String)] {
        parameters.split(separator: ";").compactMap { piece in
            guard let equals = piece.firstIndex(of: "=") else { return nil }
            let key = piece[..<equals].trimmingSpaces()
            let value = piece[piece.index(after: equals)...].trimmingSpaces()
            return key.isEmpty ? nil : (String(key), String(value))
        }
    }

    /// The attribute value.
    public var description: String { parameters.isEmpty ? "\(payloadType)" : "\(payloadType) \(parameters)" }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
