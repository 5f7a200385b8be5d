/// The error SDPKit throws for malformed SDP, a malformed attribute or
/// candidate, or options and offers that cannot be negotiated.
///
/// Errors found while parsing a whole session description carry the 1-based
/// number of the offending line and its text.
public struct SDPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as an open set of string codes.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's stable string form.
        public var rawValue: String
        /// Creates a code from its string form.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's string form.
        public var description: String { rawValue }

        /// The input is not UTF-8 text.
        public static let invalidEncoding = Code(rawValue: "invalidEncoding")
        /// A line is not of the form `<letter>=<value>`, or holds a NUL or a stray CR.
        public static let invalidLine = Code(rawValue: "invalidLine")
        /// A required line (`v=`, `o=`, `s=`, `t=`) is missing.
        public static let missingLine = Code(rawValue: "missingLine")
        /// A line is out of the order RFC 8866 section 5 prescribes, repeated where
        /// it may appear once, or an attribute sits at a level where it is not allowed.
        public static let misplacedLine = Code(rawValue: "misplacedLine")
        /// `v=` is not `0`.
        public static let invalidVersion = Code(rawValue: "invalidVersion")
        /// A malformed `o=` line.
        public static let invalidOrigin = Code(rawValue: "invalidOrigin")
        /// A malformed `c=` line.
        public static let invalidConnection = Code(rawValue: "invalidConnection")
        /// A malformed `b=` line.
        public static let invalidBandwidth = Code(rawValue: "invalidBandwidth")
        /// A malformed `t=` line.
        public static let invalidTiming = Code(rawValue: "invalidTiming")
        /// A malformed `m=` line.
        public static let invalidMedia = Code(rawValue: "invalidMedia")
        /// A port that is not a number from 0 to 65535.
        public static let invalidPort = Code(rawValue: "invalidPort")
        /// An RTP payload type that is not a number from 0 to 127.
        public static let invalidPayloadType = Code(rawValue: "invalidPayloadType")
        /// A known attribute whose value does not follow its grammar.
        public static let invalidAttribute = Code(rawValue: "invalidAttribute")
        /// A malformed ICE `candidate` attribute.
        public static let invalidCandidate = Code(rawValue: "invalidCandidate")
        /// Offer or answer options that cannot make a valid description.
        public static let invalidOptions = Code(rawValue: "invalidOptions")
        /// A remote offer that cannot be answered (missing ICE credentials or
        /// fingerprint, an impossible setup role).
        public static let negotiationFailed = Code(rawValue: "negotiationFailed")
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String
    /// The 1-based number of the offending line, when the error comes from a
    /// whole session description.
    public var line: Int?
    /// The offending line's text (without its line ending), when known.
    public var text: String?

    /// Creates an error.
    public init(_ code: Code, _ message: String, line: Int? = nil, text: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.text = text
    }

    /// `code: message (line N: text)`.
    public var description: String {
        var result = "\(code): \(message)"
        if let line {
            result += " (line \(line)"
            if let text { result += ": \(text)" }
            result += ")"
        }
        return result
    }

    /// The same error located at a line of a document.
    func located(line: Int, text: String) -> SDPError {
        var copy = self
        copy.line = line
        copy.text = text
        return copy
    }
}
