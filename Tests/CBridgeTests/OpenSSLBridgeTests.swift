import COpenSSL
import Testing

/// One HMAC-SHA1 known-answer vector from RFC 2202, section 3.
struct HMACSHA1Vector: Sendable, CustomTestStringConvertible {
    let name: String
    let key: [UInt8]
    let message: String
    let expectedHex: String

    var testDescription: String { name }
}

@Suite("OpenSSL bridge")
struct OpenSSLBridgeTests {
    static let rfc2202Vectors: [HMACSHA1Vector] = [
        HMACSHA1Vector(
            name: "RFC 2202 test case 1",
            key: [UInt8](repeating: 0x0B, count: 20),
            message: "Hi There",
            expectedHex: "b617318655057264e28bc0b6fb378c8ef146be00"
        ),
        HMACSHA1Vector(
            name: "RFC 2202 test case 2",
            key: Array("Jefe".utf8),
            message: "what do ya want for nothing?",
            expectedHex: "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        ),
        HMACSHA1Vector(
            name: "RFC 2202 test case 6",
            key: [UInt8](repeating: 0xAA, count: 80),
            message: "Test Using Larger Than Block-Size Key - Hash Key First",
            expectedHex: "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        ),
    ]

    /// Computes HMAC-SHA1 with OpenSSL's one-shot `HMAC(EVP_sha1(), ...)`.
    static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8]? {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var digestLength: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                digest.withUnsafeMutableBufferPointer { digestBuffer in
                    HMAC(
                        EVP_sha1(),
                        keyBytes.baseAddress, Int32(keyBytes.count),
                        messageBytes.baseAddress, messageBytes.count,
                        digestBuffer.baseAddress, &digestLength
                    )
                }
            }
        }
        guard result != nil else { return nil }
        return Array(digest.prefix(Int(digestLength)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        var text = ""
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return text
    }

    @Test("HMAC-SHA1 matches RFC 2202", arguments: rfc2202Vectors)
    func hmacSHA1MatchesRFC2202(vector: HMACSHA1Vector) throws {
        let digest = try #require(Self.hmacSHA1(key: vector.key, message: Array(vector.message.utf8)))
        #expect(digest.count == 20)
        #expect(digest.count == Int(EVP_MD_get_size(EVP_sha1())))
        #expect(Self.hex(digest) == vector.expectedHex)
    }

    @Test("HMAC-SHA1 changes when the message changes")
    func hmacSHA1DependsOnMessage() throws {
        let key = [UInt8](repeating: 0x0B, count: 20)
        let original = try #require(Self.hmacSHA1(key: key, message: Array("Hi There".utf8)))
        let altered = try #require(Self.hmacSHA1(key: key, message: Array("Hi there".utf8)))
        #expect(original != altered)
    }
}
