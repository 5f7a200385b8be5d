import ICEKit
import Testing

@Suite("STUN: malformed input is rejected with the right error, never a crash")
struct STUNMalformedInputTests {
    func code(_ bytes: [UInt8]) -> ICEError.Code? {
        do {
            _ = try STUNMessage(parsing: bytes)
            return nil
        } catch let error as ICEError {
            return error.code
        } catch {
            return ICEError.Code(rawValue: "unexpected \(error)")
        }
    }

    /// A message with `attributes` appended raw after a binding-request header, length fixed up.
    func message(rawAttributes: [UInt8], cookie: [UInt8] = [0x21, 0x12, 0xa4, 0x42]) -> [UInt8] {
        var bytes: [UInt8] = [0x00, 0x01, UInt8(rawAttributes.count >> 8), UInt8(rawAttributes.count & 0xFF)]
        bytes += cookie + RFC5769.transactionID + rawAttributes
        return bytes
    }

    @Test("every truncation of every vector is refused as truncated")
    func truncations() {
        for vector in RFC5769.all {
            for length in 0..<vector.count {
                #expect(code(Array(vector[0..<length])) == .truncated, "length \(length)")
                #expect(!STUNMessage.isSTUN(vector[0..<length]))
            }
        }
    }

    @Test("trailing bytes after the announced length are refused")
    func trailingBytes() {
        #expect(code(RFC5769.request + [0, 0, 0, 0]) == .invalidLength)
        #expect(!STUNMessage.isSTUN(RFC5769.request + [0, 0, 0, 0]))
    }

    @Test("a length that is not a multiple of four is refused")
    func oddLength() {
        var bytes = RFC5769.request
        bytes[3] = 0x57
        #expect(code(bytes) == .invalidLength)
        #expect(!STUNMessage.isSTUN(bytes))
    }

    @Test("a wrong magic cookie is refused")
    func wrongCookie() {
        var bytes = RFC5769.request
        bytes[4] = 0x22
        #expect(code(bytes) == .invalidMagicCookie)
        #expect(!STUNMessage.isSTUN(bytes))
        #expect(code(message(rawAttributes: [], cookie: [0, 0, 0, 0])) == .invalidMagicCookie)
    }

    @Test("non-zero top bits (RTP, DTLS) are refused")
    func topBits() {
        for first: UInt8 in [0x40, 0x80, 0xC0, 0x16, 0x17] {
            var bytes = RFC5769.request
            bytes[0] = first
            let expected: ICEError.Code = first & 0xC0 == 0 ? .fingerprintMismatch : .invalidHeader
            #expect(code(bytes) == expected, "first byte \(first)")
            #expect(STUNMessage.isSTUN(bytes) == (first & 0xC0 == 0))
        }
    }

    @Test("a flipped bit anywhere before the fingerprint, or in it, fails the fingerprint")
    func badFingerprint() {
        let vector = RFC5769.request
        // Bytes whose change keeps the structure intact: transaction ID, values (not headers).
        let positions = Array(8..<20) + Array(24..<40) + [44, 45, 46, 47] + Array(52..<60) + Array(64..<76) + Array(80..<100) + Array(104..<108)
        for position in positions {
            var bytes = vector
            bytes[position] ^= 0x01
            #expect(code(bytes) == .fingerprintMismatch, "position \(position)")
        }
    }

    @Test("a wrong MESSAGE-INTEGRITY is refused even when the fingerprint is right")
    func badIntegrity() throws {
        let integrity = STUNIntegrity.shortTerm(password: RFC5769.password)
        let parsed = try STUNMessage(parsing: RFC5769.request)
        for position in 0..<20 {
            var tampered = parsed
            tampered.attributes = parsed.attributes.map { attribute in
                guard case .messageIntegrity(var mac) = attribute else { return attribute }
                mac[position] ^= 0x80
                return .messageIntegrity(mac)
            }
            // Written back with a fresh, correct FINGERPRINT over the tampered bytes.
            let bytes = tampered.serialized(integrity: nil, fingerprint: true, paddingByte: 0x20)
            #expect(throws: Never.self) { try STUNMessage(parsing: bytes) }
            #expect(!STUNMessage.verifyIntegrity(of: bytes, using: integrity), "position \(position)")
        }
        // Tampering with a covered attribute also fails it.
        var other = parsed
        other.attributes[1] = .priority(0x6e00_0200)
        let bytes = other.serialized(integrity: nil, fingerprint: true, paddingByte: 0x20)
        #expect(!STUNMessage.verifyIntegrity(of: bytes, using: integrity))
        // No integrity attribute at all.
        let bare = STUNMessage(type: .bindingRequest, transactionID: parsed.transactionID, attributes: [.username("a:b")]).serialized()
        #expect(!STUNMessage.verifyIntegrity(of: bare, using: integrity))
    }

    @Test("attribute lengths that overrun the message are refused")
    func overrunningAttribute() {
        // USERNAME claiming 9 bytes in a 4-byte body.
        #expect(code(message(rawAttributes: [0x00, 0x06, 0x00, 0x09, 0x61, 0x62, 0x63, 0x64])) == .invalidAttribute)
        // Header of 4 bytes claiming a value of 4 that is absent.
        #expect(code(message(rawAttributes: [0x00, 0x24, 0x00, 0x04])) == .invalidAttribute)
        // Length 0xFFFF.
        #expect(code(message(rawAttributes: [0x80, 0x22, 0xFF, 0xFF, 0, 0, 0, 0])) == .invalidAttribute)
    }

    @Test("attribute values of the wrong size or content are refused", arguments: [
        [0x00, 0x20, 0x00, 0x04, 0x00, 0x01, 0x00, 0x01] as [UInt8], // XOR-MAPPED-ADDRESS too short
        [0x00, 0x20, 0x00, 0x08, 0x00, 0x03, 0x00, 0x01, 1, 2, 3, 4], // unknown family
        [0x00, 0x20, 0x00, 0x08, 0x00, 0x02, 0x00, 0x01, 1, 2, 3, 4], // IPv6 family with IPv4 length
        [0x00, 0x01, 0x00, 0x14, 0x00, 0x01, 0x00, 0x01] + [UInt8](repeating: 0, count: 16), // IPv4 family with IPv6 length
        [0x00, 0x08, 0x00, 0x10] + [UInt8](repeating: 0, count: 16), // MESSAGE-INTEGRITY of 16 bytes
        [0x00, 0x1C, 0x00, 0x0C] + [UInt8](repeating: 0, count: 12), // MESSAGE-INTEGRITY-SHA256 of 12 bytes
        [0x80, 0x28, 0x00, 0x08] + [UInt8](repeating: 0, count: 8), // FINGERPRINT of 8 bytes
        [0x00, 0x24, 0x00, 0x02, 0, 1, 0, 0], // PRIORITY of 2 bytes
        [0x00, 0x25, 0x00, 0x04, 0, 0, 0, 0], // USE-CANDIDATE with a value
        [0x80, 0x29, 0x00, 0x04, 0, 0, 0, 1], // ICE-CONTROLLED of 4 bytes
        [0x80, 0x2A, 0x00, 0x0C] + [UInt8](repeating: 0, count: 12), // ICE-CONTROLLING of 12 bytes
        [0x00, 0x09, 0x00, 0x02, 0, 0, 0, 0], // ERROR-CODE shorter than 4
        [0x00, 0x09, 0x00, 0x04, 0, 0, 2, 0], // ERROR-CODE class 2
        [0x00, 0x09, 0x00, 0x04, 0, 0, 7, 0], // ERROR-CODE class 7
        [0x00, 0x09, 0x00, 0x04, 0, 0, 4, 100], // ERROR-CODE number 100
        [0x00, 0x0A, 0x00, 0x03, 0, 1, 0, 0], // UNKNOWN-ATTRIBUTES of odd length
        [0x00, 0x06, 0x00, 0x02, 0xC3, 0x28, 0, 0], // USERNAME that is not UTF-8
    ])
    func badAttributeValues(raw: [UInt8]) {
        #expect(code(message(rawAttributes: raw)) == .invalidAttribute)
    }

    @Test("an attribute after a correct FINGERPRINT is refused")
    func attributeAfterFingerprint() {
        let priority: [UInt8] = [0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff]
        var bytes = message(rawAttributes: priority + [0x80, 0x28, 0x00, 0x04, 0, 0, 0, 0] + [0x80, 0x22, 0x00, 0x00])
        let fingerprintOffset = 20 + priority.count
        let crc = ReferenceCRC32.checksum(bytes[0..<fingerprintOffset]) ^ 0x5354_554E
        bytes[fingerprintOffset + 4] = UInt8(crc >> 24)
        bytes[fingerprintOffset + 5] = UInt8(crc >> 16 & 0xFF)
        bytes[fingerprintOffset + 6] = UInt8(crc >> 8 & 0xFF)
        bytes[fingerprintOffset + 7] = UInt8(crc & 0xFF)
        #expect(code(bytes) == .invalidAttribute)
        // Without the trailing attribute (length fixed up) the same FINGERPRINT is wrong only
        // because the header length changed; recomputed, the message parses.
        var valid = message(rawAttributes: priority + [0x80, 0x28, 0x00, 0x04, 0, 0, 0, 0])
        let validCRC = ReferenceCRC32.checksum(valid[0..<fingerprintOffset]) ^ 0x5354_554E
        valid.replaceSubrange((fingerprintOffset + 4)..<(fingerprintOffset + 8), with: [UInt8(validCRC >> 24), UInt8(validCRC >> 16 & 0xFF), UInt8(validCRC >> 8 & 0xFF), UInt8(validCRC & 0xFF)])
        #expect(code(valid) == nil)
    }

    @Test("attributes after MESSAGE-INTEGRITY are ignored, FINGERPRINT still checked")
    func attributesAfterIntegrity() throws {
        let integrity = STUNIntegrity.shortTerm(password: "secret")
        var bytes = STUNMessage(type: .bindingRequest, transactionID: .random(), attributes: [.username("a:b")])
            .serialized(integrity: integrity, fingerprint: false)
        bytes += [0x80, 0x22, 0x00, 0x04, 0x61, 0x62, 0x63, 0x64] // SOFTWARE "abcd" after MI
        bytes[3] += 8
        let message = try STUNMessage(parsing: bytes)
        #expect(message.software == nil)
        #expect(message.username == "a:b")
        #expect(STUNMessage.verifyIntegrity(of: bytes, using: integrity))
    }

    @Test("random garbage and bit-flipped vectors never crash and only throw ICEError")
    func fuzz() {
        var generator = SplitMix64(seed: 0x5EED)
        var accepted = 0
        for round in 0..<20_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                let length = Int.random(in: 0...96, using: &generator)
                bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if round % 4 == 0, bytes.count >= 20 {
                    // A plausible header so the attribute walk is exercised.
                    bytes[0] = 0; bytes[1] = 1
                    bytes[2] = UInt8((bytes.count - 20) >> 8); bytes[3] = UInt8((bytes.count - 20) & 0xFC)
                    bytes[4] = 0x21; bytes[5] = 0x12; bytes[6] = 0xa4; bytes[7] = 0x42
                    bytes = Array(bytes[0..<(20 + Int(bytes[3]))])
                }
            } else {
                bytes = RFC5769.all[round % 4]
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    let position = Int.random(in: 0..<bytes.count, using: &generator)
                    bytes[position] ^= UInt8(1) << UInt8.random(in: 0...7, using: &generator)
                }
            }
            do {
                let message = try STUNMessage(parsing: bytes)
                accepted += 1
                // Whatever parses can be written back and parsed again.
                _ = try STUNMessage(parsing: message.serialized())
            } catch is ICEError {
            } catch {
                Issue.record("unexpected error \(error)")
            }
            _ = STUNMessage.isSTUN(bytes)
            _ = STUNMessage.verifyIntegrity(of: bytes, using: .shortTerm(password: RFC5769.password))
        }
        // Bit flips in the 2.4 vector (no FINGERPRINT) and random headers sometimes parse.
        #expect(accepted > 0)
    }
}

/// A small deterministic generator for reproducible fuzzing.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A bit-at-a-time CRC-32 (reflected 0xEDB88320), independent of the library's table.
enum ReferenceCRC32 {
    static func checksum(_ bytes: some Collection<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
