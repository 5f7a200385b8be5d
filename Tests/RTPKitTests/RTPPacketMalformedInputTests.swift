import Testing
import RTPKit

@Suite("RTP packet malformed input")
struct RTPPacketMalformedInputTests {
    /// Expects both parsers (the header view and the owning packet) to throw `code`.
    func expectBothThrow(_ code: RTPError.Code, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: RTPError.self, sourceLocation: sourceLocation) { try RTPHeader(parsing: bytes) }
        do {
            _ = try RTPHeader(parsing: bytes)
        } catch {
            #expect(error.code == code, "header: \(error)", sourceLocation: sourceLocation)
        }
        do {
            _ = try RTPPacket(parsing: bytes)
            Issue.record("RTPPacket parsed malformed input", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "packet: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test("every truncation of an unpadded packet with CSRCs and an extension throws truncated")
    func truncationsOfUnpaddedPacket() throws {
        var packet = RTPPacket(
            payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3,
            csrcs: [4, 5], payload: [])
        try packet.setExtensionElement(id: 1, data: [1, 2, 3, 4, 5])
        let bytes = packet.serialized()  // no payload: every shorter prefix cuts into the header
        #expect(bytes.count == 12 + 8 + 4 + 8)
        for length in 0..<bytes.count {
            expectBothThrow(.truncated, Array(bytes.prefix(length)))
        }
        #expect(try RTPPacket(parsing: bytes) == packet)
    }

    @Test("every truncation of a padded packet throws or parses a shorter payload, never traps")
    func truncationsOfPaddedPacket() throws {
        let packet = RTPPacket(
            payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3,
            payload: [9, 9, 9, 9, 2, 9, 9], paddingLength: 4)
        let bytes = packet.serialized()
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            do {
                let parsed = try RTPPacket(parsing: prefix)
                // The last byte of the prefix was read as a padding count.
                #expect(parsed.serializedSize == length)
                #expect(parsed != packet)
            } catch {
                #expect(error.code == .truncated || error.code == .invalidPadding, "\(length): \(error)")
            }
        }
    }

    @Test("versions other than 2 are rejected", arguments: [0 as UInt8, 1, 3])
    func badVersion(version: UInt8) {
        var bytes = RTPPacket(payloadType: 1, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: [1]).serialized()
        bytes[0] = bytes[0] & 0x3F | version << 6
        expectBothThrow(.unsupportedVersion, bytes)
    }

    @Test("a CSRC count larger than the packet throws truncated")
    func csrcCountOverflow() {
        // CC=15 claims 60 bytes of CSRCs; only 8 follow the fixed header.
        var bytes = RTPPacket(payloadType: 1, sequenceNumber: 1, timestamp: 1, ssrc: 1, csrcs: [1, 2]).serialized()
        bytes[0] = 0x80 | 15
        expectBothThrow(.truncated, bytes)
    }

    @Test("a padding count larger than the payload throws invalidPadding")
    func paddingTooLarge() {
        var bytes = RTPPacket(payloadType: 1, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: [1, 2, 3], paddingLength: 2).serialized()
        bytes[bytes.count - 1] = 6  // only 5 bytes follow the header
        expectBothThrow(.invalidPadding, bytes)
    }

    @Test("a padding count of zero throws invalidPadding")
    func paddingZero() {
        var bytes = RTPPacket(payloadType: 1, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: [1, 2, 0]).serialized()
        bytes[0] |= 0x20
        expectBothThrow(.invalidPadding, bytes)
    }

    @Test("padding may not reach back into the header extension")
    func paddingIntoExtension() throws {
        var packet = RTPPacket(payloadType: 1, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: [1, 2], paddingLength: 1)
        try packet.setExtensionElement(id: 2, data: [7])
        var bytes = packet.serialized()
        bytes[bytes.count - 1] = 4  // 3 bytes follow the header
        expectBothThrow(.invalidPadding, bytes)
    }

    @Test("an extension length running past the packet throws truncated")
    func extensionLengthOverflow() throws {
        var packet = RTPPacket(payloadType: 1, sequenceNumber: 1, timestamp: 1, ssrc: 1, payload: [1, 2, 3, 4])
        try packet.setExtensionElement(id: 1, data: [1, 2, 3])
        var bytes = packet.serialized()
        bytes[14] = 0x00
        bytes[15] = 0x03  // 12 bytes claimed, 4 of body + 4 of payload remain
        expectBothThrow(.truncated, bytes)
        bytes[14] = 0xFF
        bytes[15] = 0xFF
        expectBothThrow(.truncated, bytes)
    }

    @Test("a one-byte element running past the extension body throws invalidHeaderExtension")
    func oneByteElementOverflow() throws {
        // bede 0001 | id 1, length 4 (L=3) but only 3 bytes remain in the body
        let bytes = hex("90600001 00000002 00000003 bede0001 13aabbcc 99")
        #expect(throws: RTPError(.invalidHeaderExtension, "an extension element runs past the end of the extension")) {
            try RTPPacket(parsing: bytes)
        }
        // The header view validates framing only; element lookup just finds nothing.
        let header = try RTPHeader(parsing: bytes)
        #expect(header.extensionElementRange(id: 1, in: bytes) == nil)
        #expect(header.payloadRange == 20..<21)
    }

    @Test("a two-byte element header cut at the body end throws invalidHeaderExtension")
    func twoByteElementOverflow() {
        // 1000 0001 | id 5 len 1 data 0x11 | id 6 with no length byte
        let bytes = hex("90600001 00000002 00000003 10000001 05011106")
        do {
            _ = try RTPPacket(parsing: bytes)
            Issue.record("parsed")
        } catch {
            #expect(error.code == .invalidHeaderExtension)
        }
    }

    @Test("one-byte padding bytes are skipped and id 15 ends the element list")
    func oneBytePaddingAndTerminator() throws {
        // 00 (padding) | id 1 len 1: 0xaa | 00 00 | id 15 (ends the list) | junk
        let bytes = hex("90600001 00000002 00000003 bede0002 0010aa00 00f0ffff")
        let packet = try RTPPacket(parsing: bytes)
        #expect(packet.headerExtension?.elements == [.init(id: 1, data: [0xAA])])
    }

    @Test("random bytes never trap any RTP parser")
    func randomGarbage() throws {
        var generator = SeededGenerator(seed: 0x5EED_0001)
        var parsed = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...80, using: &generator)
            var bytes = randomBytes(length, using: &generator)
            if !bytes.isEmpty, Bool.random(using: &generator) {
                bytes[0] = bytes[0] & 0x3F | 0x80  // mostly version 2, to get deeper
            }
            if let header = try? RTPHeader(parsing: bytes) {
                parsed += 1
                #expect(header.packetSize == bytes.count)
                for id in [0, 1, 2, 14, 15, 200] as [UInt8] {
                    if let range = header.extensionElementRange(id: id, in: bytes) {
                        #expect(header.extensionRange.contains(range.lowerBound) || range.isEmpty)
                        #expect(range.upperBound <= header.extensionRange.upperBound)
                    }
                }
            }
            if let packet = try? RTPPacket(parsing: bytes) {
                // Whatever parsed serializes (no larger than it came) and parses back the same.
                #expect(packet.serializedSize <= bytes.count)
                #expect(try RTPPacket(parsing: packet.serialized()) == packet)
            }
        }
        #expect(parsed > 100)
    }
}
