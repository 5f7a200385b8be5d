/// The umbrella error of the `WebRTC` module: what a `PeerConnection` user sees.
public struct PeerConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error kind.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's spelling.
        public var rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The spelling.
        public var description: String { rawValue }

        /// A description could not be parsed or does not fit the current state.
        public static let invalidDescription = Code(rawValue: "invalid-description")
        /// A method was called in a state that does not allow it (JSEP's InvalidStateError).
        public static let invalidState = Code(rawValue: "invalid-state")
        /// A candidate could not be parsed.
        public static let invalidCandidate = Code(rawValue: "invalid-candidate")
        /// The remote description offers nothing this connection can use (no common codec).
        public static let noCommonCodec = Code(rawValue: "no-common-codec")
        /// The UDP socket could not be bound or failed.
        public static let transportFailed = Code(rawValue: "transport-failed")
        /// The DTLS handshake failed (including a certificate fingerprint mismatch).
        public static let dtlsFailed = Code(rawValue: "dtls-failed")
        /// Encoding or decoding media failed.
        public static let mediaFailed = Code(rawValue: "media-failed")
        /// The connection is closed.
        public static let closed = Code(rawValue: "closed")
        /// A configuration value is malformed (an ICE server URL, say).
        public static let invalidConfiguration = Code(rawValue: "invalid-configuration")
    }

    /// What went wrong.
    public var code: Code
    /// A human-readable explanation.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
