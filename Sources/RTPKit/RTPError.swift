/// The one error type of RTPKit: a stable ``Code`` and a human-readable message.
///
/// Parsers throw it for malformed input; they never trap on any input.
public struct RTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error kind. New codes can be added without
    /// breaking users, which a closed enum would not allow.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's spelling.
        public var rawValue: String
        /// Creates a code from its spelling.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's spelling.
        public var description: String { rawValue }

        /// The input ends before the header, a count or a length field says it should.
        public static let truncated = Code(rawValue: "truncated")
        /// The version field is not 2.
        public static let unsupportedVersion = Code(rawValue: "unsupported-version")
        /// The padding bit is set but the padding count is zero or larger than the packet allows.
        public static let invalidPadding = Code(rawValue: "invalid-padding")
        /// An RTP header extension (RFC 8285 element list) is malformed, or a value does not fit its form.
        public static let invalidHeaderExtension = Code(rawValue: "invalid-header-extension")
        /// An RTCP length field disagrees with the packet's contents or with the bytes given.
        public static let invalidLength = Code(rawValue: "invalid-length")
        /// The packet is well framed but its contents are invalid for its type.
        public static let malformedPacket = Code(rawValue: "malformed-packet")
        /// A codec payload (such as a VP8 payload descriptor) is malformed.
        public static let malformedPayload = Code(rawValue: "malformed-payload")
    }

    /// What went wrong, as a stable code.
    public var code: Code
    /// A human-readable explanation.
    public var message: String

    /// Creates an error from its code and explanation.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
