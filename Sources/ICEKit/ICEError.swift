/// An error of the ICE layer: malformed STUN input, an address that does not
/// parse, or a request the agent cannot accept.
public struct ICEError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error kind. New codes can be added without
    /// breaking users, which a closed enum would not allow.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's spelling.
        public var rawValue: String
        /// Creates a code from its spelling.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The spelling.
        public var description: String { rawValue }

        /// The bytes end before the STUN header or before the length the header announces.
        public static let truncated = Code(rawValue: "truncated")
        /// The message length is not a multiple of four or does not match the datagram.
        public static let invalidLength = Code(rawValue: "invalid-length")
        /// The first two bits of the message are not zero: this is not a STUN message.
        public static let invalidHeader = Code(rawValue: "invalid-header")
        /// The magic cookie is not 0x2112A442.
        public static let invalidMagicCookie = Code(rawValue: "invalid-magic-cookie")
        /// An attribute overruns the message or has a value of the wrong size or content.
        public static let invalidAttribute = Code(rawValue: "invalid-attribute")
        /// The FINGERPRINT attribute does not match the message.
        public static let fingerprintMismatch = Code(rawValue: "fingerprint-mismatch")
        /// A transport address is not an IPv4 or IPv6 literal with a usable port.
        public static let invalidAddress = Code(rawValue: "invalid-address")
        /// ICE credentials are empty or contain characters they may not.
        public static let invalidCredentials = Code(rawValue: "invalid-credentials")
        /// A configured limit on the number of candidates was reached.
        public static let tooManyCandidates = Code(rawValue: "too-many-candidates")
        /// The remote credentials changed, which means an ICE restart; this agent does not restart.
        public static let iceRestartNotSupported = Code(rawValue: "ice-restart-not-supported")
        /// The agent is closed.
        public static let closed = Code(rawValue: "closed")
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
