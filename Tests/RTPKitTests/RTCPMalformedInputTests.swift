import Testing
import RTPKit

@Suite("RTCP malformed input")
struct RTCPMalformedInputTests {
    func expectThrows(_ code: RTPError.Code, _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            try body()
            Issue.record("no error, expected \(code)", sourceLocation: sourceLocation)
        } catch {
            #expect((error as? RTPError)?.code == code, "\(error)", sourceLocation: sourceLocation)
        }
    }

    static let compound = RTCPCompoundPacket([
        .senderReport(RTCPPacketRoundTripTests.senderReport),
        .sourceDescription(RTCPSourceDescription(chunks: [.init(ssrc: 1, cname: "cname")])),
        .goodbye(RTCPGoodbye(ssrcs: [1], reason: "bye")),
        .genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, lostSequenceNumbers: [1, 100])),
        .fullIntraRequest(RTCPFullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 2, sequenceNumber: 3)])),
    ])

    @Test("every truncation of a compound packet throws truncated, except at packet boundaries")
    func truncations() throws {
        let bytes = Self.compound.serialized()
        var boundaries: [Int: Int] = [:]
        var offset = 0
        for (index, packet) in Self.compound.packets.enumerated() {
            offset += packet.serializedSize
            boundaries[offset] = index + 1
        }
        for length in 0..<bytes.count {
            let prefix = Array(bytes.prefix(length))
            if let count = boundaries[length] {
                #expect(try RTCPCompoundPacket(parsing: prefix).packets == Array(Self.compound.packets.prefix(count)))
            } else {
                expectThrows(.truncated) { _ = try RTCPCompoundPacket(parsing: prefix) }
            }
        }
    }

    @Test("every truncation of each single packet is rejected by its own parser")
    func singlePacketTruncations() throws {
        for packet in Self.compound.packets {
            let bytes = packet.serialized()
            for length in 0..<bytes.count {
                expectThrows(.truncated) { _ = try RTCPPacket(parsing: Array(bytes.prefix(length))) }
            }
        }
    }

    @Test("a version other than 2 is rejected, in any packet of a compound")
    func badVersion() {
        var bytes = Self.compound.serialized()
        let second = RTCPPacketRoundTripTests.senderReport.serializedSize
        bytes[second] = bytes[second] & 0x3F | 0x40
        expectThrows(.unsupportedVersion) { _ = try RTCPCompoundPacket(parsing: bytes) }
        bytes[0] &= 0x3F
        expectThrows(.unsupportedVersion) { _ = try RTCPCompoundPacket(parsing: bytes) }
    }

    @Test("a length field longer than the datagram throws truncated; shorter than a single packet throws invalidLength")
    func lengthField() {
        var bytes = RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2).serialized()
        bytes[3] = 3
        expectThrows(.truncated) { _ = try RTCPCompoundPacket(parsing: bytes) }
        bytes[3] = 1
        expectThrows(.invalidLength) { _ = try RTCPPictureLossIndication(parsing: bytes) }
        // As a compound, the first packet is an 8-byte PLI, too short for its two SSRCs.
        expectThrows(.invalidLength) { _ = try RTCPCompoundPacket(parsing: bytes) }
        expectThrows(.truncated) { _ = try RTCPCompoundPacket(parsing: [UInt8]()) }
    }

    @Test("a report count larger than the length allows throws invalidLength")
    func reportCountOverflow() {
        var sr = RTCPPacketRoundTripTests.senderReport.serialized()
        sr[0] = 0x83
        expectThrows(.invalidLength) { _ = try RTCPSenderReport(parsing: sr) }
        var rr = RTCPReceiverReport(ssrc: 1).serialized()
        rr[0] = 0x9F
        expectThrows(.invalidLength) { _ = try RTCPReceiverReport(parsing: rr) }
        // An SR too short for the sender info.
        expectThrows(.invalidLength) { _ = try RTCPSenderReport(parsing: hex("80c80001 00000001")) }
    }

    @Test("padding counts of zero or beyond the packet throw invalidPadding")
    func badPadding() {
        expectThrows(.invalidPadding) { _ = try RTCPCompoundPacket(parsing: hex("a0c90001 00000000")) }
        expectThrows(.invalidPadding) { _ = try RTCPCompoundPacket(parsing: hex("a0c90001 00000005")) }
    }

    @Test("malformed SDES chunks are rejected")
    func badSourceDescription() {
        // Count 2 but one chunk.
        expectThrows(.invalidLength) { _ = try RTCPSourceDescription(parsing: hex("82ca0002 00000001 00000000")) }
        // No null item before the end.
        expectThrows(.malformedPacket) { _ = try RTCPSourceDescription(parsing: hex("81ca0002 00000001 01026162")) }
        // Item length past the end.
        expectThrows(.invalidLength) { _ = try RTCPSourceDescription(parsing: hex("81ca0002 00000001 01096162")) }
        // Item header cut after its type.
        expectThrows(.invalidLength) { _ = try RTCPSourceDescription(parsing: hex("81ca0002 00000001 01016101")) }
    }

    @Test("malformed BYE and feedback packets are rejected")
    func badGoodbyeAndFeedback() {
        expectThrows(.invalidLength) { _ = try RTCPGoodbye(parsing: hex("82cb0001 00000001")) }
        expectThrows(.invalidLength) { _ = try RTCPGoodbye(parsing: hex("81cb0002 00000001 05616263")) }
        expectThrows(.invalidLength) { _ = try RTCPPictureLossIndication(parsing: hex("81ce0001 00000001")) }
        expectThrows(.invalidLength) { _ = try RTCPGenericNACK(parsing: hex("81cd0002 00000001 00000002")) }
        expectThrows(.invalidLength) { _ = try RTCPFullIntraRequest(parsing: hex("84ce0002 00000001 00000000")) }
        expectThrows(.invalidLength) { _ = try RTCPFullIntraRequest(parsing: hex("84ce0003 00000001 00000000 00000002")) }
        // Inside a compound, the same errors surface.
        expectThrows(.invalidLength) { _ = try RTCPCompoundPacket(parsing: hex("81cd0002 00000001 00000002")) }
    }

    @Test("a typed parser refuses another packet type")
    func wrongType() {
        let pli = RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2).serialized()
        expectThrows(.malformedPacket) { _ = try RTCPFullIntraRequest(parsing: pli) }
        expectThrows(.malformedPacket) { _ = try RTCPGenericNACK(parsing: pli) }
        expectThrows(.malformedPacket) { _ = try RTCPSenderReport(parsing: pli) }
    }

    @Test("random bytes never trap the RTCP parser")
    func randomGarbage() throws {
        var generator = SeededGenerator(seed: 0x5EED_0002)
        let types: [UInt8] = [200, 201, 202, 203, 204, 205, 206, 207]
        var parsed = 0
        for _ in 0..<20_000 {
            let words = Int.random(in: 1...12, using: &generator)
            var bytes = randomBytes(words * 4, using: &generator)
            // Mostly well framed, to get past the header checks.
            bytes[0] = bytes[0] & 0x3F | 0x80
            bytes[1] = types.randomElement(using: &generator)!
            bytes[2] = 0
            bytes[3] = UInt8(words - 1)
            if let compound = try? RTCPCompoundPacket(parsing: bytes) {
                parsed += 1
                // Whatever parsed serializes and parses again to the same packets.
                #expect(try RTCPCompoundPacket(parsing: compound.serialized()) == compound, "\(bytes) \(compound)")
            }
        }
        #expect(parsed > 1000)
    }
}
