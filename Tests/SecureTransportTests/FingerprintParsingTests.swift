import SecureTransport
import Testing

@Suite("SDP fingerprint parsing (RFC 8122)")
struct FingerprintParsingTests {
    static let bytes: [UInt8] = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 0xA1) }
    static let hex = pairs(bytes)

    /// Uppercase hex pairs joined by ':', written independently of the code under test.
    static func pairs(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: ":")
    }

    @Test("`sha-256 AB:CD:...` parses to the algorithm and the 32 bytes")
    func parsesSHA256() throws {
        let fingerprint = try DTLSFingerprint(parsing: "sha-256 \(Self.hex)")
        #expect(fingerprint.algorithm == .sha256)
        #expect(fingerprint.bytes == Self.bytes)
        #expect(fingerprint.hexString == Self.hex)
        #expect(fingerprint.description == "sha-256 \(Self.hex)")
    }

    @Test("hash name and hex digits are case-insensitive; extra blanks are tolerated")
    func lenientCase() throws {
        let canonical = try DTLSFingerprint(parsing: "sha-256 \(Self.hex)")
        #expect(try DTLSFingerprint(parsing: "SHA-256 \(Self.hex.lowercased())") == canonical)
        #expect(try DTLSFingerprint(parsing: "  sha-256 \t \(Self.hex)\r\n") == canonical)
        #expect(try DTLSFingerprint(algorithm: .sha256, hex: Self.hex.lowercased()) == canonical)
    }

    @Test("every supported hash with its own length", arguments: [
        ("sha-1", 20), ("sha-224", 28), ("sha-256", 32), ("sha-384", 48), ("sha-512", 64),
    ])
    func supportedLengths(name: String, length: Int) throws {
        let hex = Self.pairs((0..<length).map { UInt8($0) })
        let fingerprint = try DTLSFingerprint(parsing: "\(name) \(hex)")
        #expect(fingerprint.bytes.count == length)
        #expect(fingerprint.algorithm.digestLength == length)
        // One byte more or less is refused.
        let short = #expect(throws: SecureTransportError.self) {
            try DTLSFingerprint(parsing: "\(name) \(hex.dropLast(3))")
        }
        #expect(short?.code == .invalidFingerprint)
        let long = #expect(throws: SecureTransportError.self) { try DTLSFingerprint(parsing: "\(name) \(hex):00") }
        #expect(long?.code == .invalidFingerprint)
    }

    @Test("an unknown hash is refused as unsupported", arguments: ["md5", "sha-3", "foo"])
    func unsupportedHash(name: String) {
        let error = #expect(throws: SecureTransportError.self) { try DTLSFingerprint(parsing: "\(name) \(Self.hex)") }
        #expect(error?.code == .unsupportedHashAlgorithm)
    }

    @Test("malformed text is refused", arguments: [
        "", " ", "sha-256", "sha-256 ", " AB:CD", "sha-256:AB:CD",
        "sha-256 \(hex.replacingOccurrences(of: ":", with: ""))",
        "sha-256 \(hex.replacingOccurrences(of: ":", with: "-"))",
        "sha-256 \(hex):",
        "sha-256 :\(hex)",
        "sha-256 \(hex.replacingOccurrences(of: "A", with: "G"))",
        "sha-256 \(hex.dropLast())",
        "sha-256 \(hex) extra",
    ])
    func malformed(text: String) {
        let error = #expect(throws: SecureTransportError.self) { try DTLSFingerprint(parsing: text) }
        #expect(error?.code == .invalidFingerprint)
    }

    @Test("every truncation of a valid value is refused, never a crash")
    func truncations() {
        let text = "sha-256 \(Self.hex)"
        for length in 0..<text.count {
            let error = #expect(throws: SecureTransportError.self) { try DTLSFingerprint(parsing: text.prefix(length)) }
            #expect(error?.code == .invalidFingerprint || error?.code == .unsupportedHashAlgorithm)
        }
    }

    @Test("bytes must have the hash's length")
    func bytesLength() throws {
        #expect(throws: SecureTransportError.self) { try DTLSFingerprint(algorithm: .sha256, bytes: [1, 2, 3]) }
        #expect(throws: SecureTransportError.self) {
            try DTLSFingerprint(algorithm: .init(rawValue: "md5"), bytes: Array(repeating: 0, count: 16))
        }
        _ = try DTLSFingerprint(algorithm: .sha256, bytes: Array(repeating: 0, count: 32))
    }

    @Test("fingerprints differing in one byte or in the hash are not equal")
    func equality() throws {
        let base = try DTLSFingerprint(parsing: "sha-256 \(Self.hex)")
        var bytes = base.bytes
        bytes[31] ^= 1
        #expect(try DTLSFingerprint(algorithm: .sha256, bytes: bytes) != base)
        bytes[31] ^= 1
        #expect(try DTLSFingerprint(algorithm: .sha256, bytes: bytes) == base)
        #expect(Set([base, try DTLSFingerprint(algorithm: .sha256, bytes: bytes)]).count == 1)
    }

    @Test("a certificate matches its fingerprint in every supported hash, and no other certificate does")
    func matchesCertificate() throws {
        let certificate = try DTLSCertificate()
        let other = try DTLSCertificate()
        for algorithm in [DTLSFingerprint.Algorithm.sha1, .sha224, .sha256, .sha384, .sha512] {
            let fingerprint = try DTLSFingerprint(algorithm: algorithm, certificateDER: certificate.derEncoded)
            #expect(fingerprint.bytes.count == algorithm.digestLength)
            #expect(fingerprint.matches(certificateDER: certificate.derEncoded))
            #expect(!fingerprint.matches(certificateDER: other.derEncoded))
        }
    }
}
