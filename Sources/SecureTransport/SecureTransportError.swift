/// An error of the secure transport layer: a bad certificate or fingerprint, a DTLS
/// handshake that failed, or an SRTP packet that did not protect or unprotect.
public struct SecureTransportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable, machine-readable error kind. New codes can be added without
    /// breaking users, which a closed enum would not allow.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The code's spelling.
        public var rawValue: String
        /// Creates a code from its spelling.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The spelling.
        public var description: String { rawValue }

        // MARK: Certificates and fingerprints

        /// A fingerprint's text or bytes are malformed (bad hex, wrong length, missing algorithm).
        public static let invalidFingerprint = Code(rawValue: "invalid-fingerprint")
        /// The fingerprint's hash function is not one this module computes (sha-1, sha-224,
        /// sha-256, sha-384, sha-512).
        public static let unsupportedHashAlgorithm = Code(rawValue: "unsupported-hash-algorithm")
        /// OpenSSL could not generate a key or sign a certificate.
        public static let certificateGenerationFailed = Code(rawValue: "certificate-generation-failed")
        /// A PEM certificate or key did not parse, or the key does not belong to the certificate.
        public static let invalidCertificate = Code(rawValue: "invalid-certificate")

        // MARK: DTLS

        /// A parameter of an endpoint or session is out of range (an MTU, an empty profile list, ...).
        public static let invalidConfiguration = Code(rawValue: "invalid-configuration")
        /// The peer's certificate does not match the fingerprint from its session description.
        public static let fingerprintMismatch = Code(rawValue: "fingerprint-mismatch")
        /// The DTLS handshake failed (a fatal alert sent or received, a protocol violation).
        public static let handshakeFailed = Code(rawValue: "handshake-failed")
        /// The handshake gave up after too many retransmissions.
        public static let handshakeTimeout = Code(rawValue: "handshake-timeout")
        /// The handshake finished without agreeing on an SRTP protection profile (`use_srtp`).
        public static let srtpNotNegotiated = Code(rawValue: "srtp-not-negotiated")
        /// Exporting the SRTP keying material failed.
        public static let keyExportFailed = Code(rawValue: "key-export-failed")
        /// A fatal error after the handshake (a fatal alert, a record that broke the connection).
        public static let connectionFailed = Code(rawValue: "connection-failed")
        /// The operation is not allowed in the current state (sending before connecting, ...).
        public static let invalidState = Code(rawValue: "invalid-state")
        /// Application data larger than one DTLS record within the MTU.
        public static let applicationDataTooLarge = Code(rawValue: "application-data-too-large")

        // MARK: SRTP

        /// The key or salt length does not fit the protection profile.
        public static let invalidKey = Code(rawValue: "invalid-key")
        /// The packet is too short or its RTP/RTCP header is malformed.
        public static let invalidPacket = Code(rawValue: "invalid-packet")
        /// The packet's authentication tag did not verify (tampered, or the wrong key).
        public static let authenticationFailed = Code(rawValue: "authentication-failed")
        /// The packet was already received, or is older than the replay window.
        public static let replay = Code(rawValue: "replay")
        /// libsrtp2 failed for another reason; the message names its status.
        public static let srtpFailure = Code(rawValue: "srtp-failure")
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
