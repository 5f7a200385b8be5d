/// An error of the signalling layer: a message the relay refused, a reply the
/// server sent, or a failure of the channel underneath a client.
///
/// The `code` strings are the ones that travel on the wire in
/// `{"type":"error","code":"...","message":"..."}` replies.
public struct SignalingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error kind. New codes can be added without
    /// breaking users, which a closed enum would not allow.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code as it appears on the wire.
        public var rawValue: String
        /// Creates a code from its wire spelling.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The wire spelling.
        public var description: String { rawValue }

        /// The text was not valid JSON.
        public static let malformedJSON = Code(rawValue: "malformed-json")
        /// The JSON had no usable `type`, or a field the type needs was missing or of the wrong kind.
        public static let invalidMessage = Code(rawValue: "invalid-message")
        /// The `type` is not one the protocol knows.
        public static let unknownType = Code(rawValue: "unknown-type")
        /// A binary WebSocket frame arrived; the protocol is text only.
        public static let binaryNotSupported = Code(rawValue: "binary-not-supported")
        /// The message is larger than the server accepts.
        public static let messageTooLarge = Code(rawValue: "message-too-large")
        /// The connection sent more messages than the rate limit allows; the excess was dropped.
        public static let rateLimited = Code(rawValue: "rate-limited")
        /// Another connection already holds this role in this room.
        public static let roleTaken = Code(rawValue: "role-taken")
        /// This connection already took the other role.
        public static let roleAlreadyChosen = Code(rawValue: "role-already-chosen")
        /// A call message arrived before the connection took a role.
        public static let notRegistered = Code(rawValue: "not-registered")
        /// The message may only be sent by the other role (an answer from the sender, say).
        public static let wrongRole = Code(rawValue: "wrong-role")
        /// The other side has not joined and the queue of held messages is full; the message was dropped.
        public static let holdQueueFull = Code(rawValue: "hold-queue-full")
        /// The `room` query parameter is not a valid room name.
        public static let invalidRoom = Code(rawValue: "invalid-room")
        /// The channel closed (or could not open) before the operation finished.
        public static let connectionClosed = Code(rawValue: "connection-closed")
        /// No reply came within the allowed time.
        public static let timeout = Code(rawValue: "timeout")
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
