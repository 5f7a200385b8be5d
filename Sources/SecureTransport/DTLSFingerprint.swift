/// A certificate fingerprint as SDP carries it in `a=fingerprint` (RFC 8122):
/// a hash function name and the hash of the certificate's DER encoding.
///
/// Its text form is `sha-256 AB:CD:...`, uppercase hex pairs joined by colons.
/// Equality compares the bytes in time that does not depend on where they differ.
public struct DTLSFingerprint: Sendable, Hashable, CustomStringConvertible {
    /// A hash function name from the IANA "Hash Function Textual Names" registry,
    /// lowercase (`sha-256`).
    public struct Algorithm: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The lowercase name.
        public let rawValue: String
        /// Creates an algorithm from its name; the name is lowercased.
        public init(rawValue: String) { self.rawValue = rawValue.lowercased() }
        /// The name.
        public var description: String { rawValue }

        /// SHA-1 (20 bytes); allowed by RFC 8122 but not by RFC 8827 for new fingerprints.
        public static let sha1 = Algorithm(rawValue: "sha-1")
        /// SHA-224 (28 bytes).
        public static let sha224 = Algorithm(rawValue: "sha-224")
        /// SHA-256 (32 bytes), what browsers and this module produce.
        public static let sha256 = Algorithm(rawValue: "sha-256")
        /// SHA-384 (48 bytes).
        public static let sha384 = Algorithm(rawValue: "sha-384")
        /// SHA-512 (64 bytes).
        public static let sha512 = Algorithm(rawValue: "sha-512")

        /// The digest length in bytes, or nil for a hash this module does not compute.
        public var digestLength: Int? {
            switch rawValue {
            case "sha-1": 20
            case "sha-224": 28
            case "sha-256": 32
            case "sha-384": 48
            case "sha-512": 64
            default: nil
            }
        }
    }

    /// The hash function.
    public let algorithm: Algorithm
    /// The hash of the certificate's DER encoding.
    public let bytes: [UInt8]

    /// Creates a fingerprint from a hash function and its output.
    ///
    /// - Throws: `.unsupportedHashAlgorithm` for a hash this module does not compute,
    ///   `.invalidFingerprint` when the byte count is not the hash's length.
    public init(algorithm: Algorithm, bytes: [UInt8]) throws {
        guard let length = algorithm.digestLength else {
            throw SecureTransportError(.unsupportedHashAlgorithm, "unsupported fingerprint hash \"\(algorithm.rawValue)\"")
        }
        guard bytes.count == length else {
            throw SecureTransportError(
                .invalidFingerprint, "\(algorithm.rawValue) fingerprint needs \(length) bytes, got \(bytes.count)")
        }
        self.algorithm = algorithm
        self.bytes = bytes
    }

    /// Parses the value of an SDP `a=fingerprint` attribute: `sha-256 AB:CD:...`.
    ///
    /// The hash name and hex digits are case-insensitive; spaces or tabs separate
    /// the two parts, and surrounding whitespace is ignored.
    ///
    /// - Throws: `.invalidFingerprint` or `.unsupportedHashAlgorithm`.
    public init(parsing text: some StringProtocol) throws {
        let utf8 = Array(text.utf8)
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        var start = 0
        var end = utf8.count
        while start < end, isBlank(utf8[start]) { start += 1 }
        while end > start, isBlank(utf8[end - 1]) { end -= 1 }
        var separator = start
        while separator < end, !isBlank(utf8[separator]) { separator += 1 }
        guard separator > start, separator < end else {
            throw SecureTransportError(.invalidFingerprint, "fingerprint needs \"<hash> <hex pairs>\"")
        }
        var hexStart = separator
        while hexStart < end, isBlank(utf8[hexStart]) { hexStart += 1 }
        let name = String(decoding: utf8[start..<separator], as: UTF8.self)
        try self.init(algorithm: Algorithm(rawValue: name), hex: utf8[hexStart..<end])
    }

    /// Parses colon-separated hex pairs (`AB:CD:...`, any case) for a given hash function.
    ///
    /// - Throws: `.invalidFingerprint` or `.unsupportedHashAlgorithm`.
    public init(algorithm: Algorithm, hex: some StringProtocol) throws {
        try self.init(algorithm: algorithm, hex: Array(hex.utf8)[...])
    }

    private init(algorithm: Algorithm, hex utf8: ArraySlice<UInt8>) throws {
        guard algorithm.digestLength != nil else {
            throw SecureTransportError(.unsupportedHashAlgorithm, "unsupported fingerprint hash \"\(algorithm.rawValue)\"")
        }
        func nibble(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        // "XX" then ":XX" repeated: 3n - 1 characters.
        guard utf8.count >= 2, (utf8.count + 1) % 3 == 0 else {
            throw SecureTransportError(.invalidFingerprint, "fingerprint hex must be colon-separated pairs")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count + 1) / 3)
        var index = utf8.startIndex
        while index < utf8.endIndex {
            if index > utf8.startIndex {
                guard utf8[index] == UInt8(ascii: ":") else {
                    throw SecureTransportError(.invalidFingerprint, "fingerprint hex pairs must be separated by ':'")
                }
                index += 1
            }
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else {
                throw SecureTransportError(.invalidFingerprint, "fingerprint contains a non-hex character")
            }
            bytes.append(high << 4 | low)
            index += 2
        }
        try self.init(algorithm: algorithm, bytes: bytes)
    }

    /// Computes the fingerprint of a DER-encoded certificate.
    ///
    /// - Throws: `.unsupportedHashAlgorithm` for a hash this module does not compute.
    public init(algorithm: Algorithm = .sha256, certificateDER der: some Collection<UInt8>) throws {
        let digest = Self.digest(of: der, algorithm: algorithm)
        guard let digest else {
            throw SecureTransportError(.unsupportedHashAlgorithm, "unsupported fingerprint hash \"\(algorithm.rawValue)\"")
        }
        try self.init(algorithm: algorithm, bytes: digest)
    }

    /// The hex pairs, uppercase and colon-separated: `AB:CD:...`.
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789ABCDEF".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 3)
        for (offset, byte) in bytes.enumerated() {
            if offset > 0 { text.append(UInt8(ascii: ":")) }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The SDP attribute value: `sha-256 AB:CD:...`.
    public var description: String { "\(algorithm.rawValue) \(hexString)" }

    /// Whether a DER-encoded certificate hashes to this fingerprint (with this
    /// fingerprint's hash function), compared in constant time.
    public func matches(certificateDER der: some Collection<UInt8>) -> Bool {
        guard let digest = Self.digest(of: der, algorithm: algorithm) else { return false }
        return Self.constantTimeEqual(digest, bytes)
    }

    /// Same hash function and same bytes; the bytes are compared in constant time.
    public static func == (lhs: DTLSFingerprint, rhs: DTLSFingerprint) -> Bool {
        lhs.algorithm == rhs.algorithm && constantTimeEqual(lhs.bytes, rhs.bytes)
    }

    /// Hashes the algorithm and bytes.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(algorithm)
        hasher.combine(bytes)
    }

    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
        return difference == 0
    }

    private static func digest(of der: some Collection<UInt8>, algorithm: Algorithm) -> [UInt8]? {
        if let digest = der.withContiguousStorageIfAvailable({ OpenSSLSupport.digest(UnsafeRawBufferPointer($0), algorithm: algorithm) }) {
            return digest
        }
        return Array(der).withUnsafeBytes { OpenSSLSupport.digest($0, algorithm: algorithm) }
    }
}
