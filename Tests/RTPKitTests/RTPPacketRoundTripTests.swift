import Testing
import RTPKit

@Suite("RTP packet round trips")
struct RTPPacketRoundTripTests {
    @Test("a minimal packet serializes to the RFC 3550 fixed header and parses back")
    func minimalPacket() throws {
        let packet = RTPPacket(
            payloadType: 96, sequenceNumber: 0x1234, timestamp: 0xDEAD_BEEF, ssrc: 0x0102_0304,
            marker: true, payload: [0xAA, 0xBB])
        let bytes = packet.serialized()
        // V=2 P=0 X=0 CC=0 | M=1 PT=96 | seq | timestamp | SSRC | payload
        #expect(bytes == hex("80 e0 1234 deadbeef 01020304 aabb"))
        #expect(packet.serializedSize == bytes.count)
        let parsed = try RTPPacket(parsing: bytes)
        #expect(parsed == packet)
    }

    @Test("CSRCs, padding, a one-byte extension and a payload survive a round trip")
    func everythingOneByte() throws {
        let ext = try RTPHeaderExtension(oneByte: [
            .init(id: 1, data: [0x01, 0x02, 0x03]),
            .init(id: 3, data: [0x10, 0x20]),
            .init(id: 14, data: Array(repeating: 0x7E, count: 16)),
        ])
        let packet = RTPPacket(
            payloadType: 111, sequenceNumber: 65535, timestamp: 1, ssrc: 0xFFFF_FFFF,
            marker: false, csrcs: [1, 2, 0xCAFE_BABE], headerExtension: ext,
            payload: Array(0..<100), paddingLength: 7)
        let bytes = packet.serialized()
        #expect(bytes.count == packet.serializedSize)
        #expect(bytes[0] == 0x80 | 0x20 | 0x10 | 3)
        #expect(bytes.last == 7)
        #expect(bytes[(bytes.count - 7)..<(bytes.count - 1)].allSatisfy { $0 == 0 })
        let parsed = try RTPPacket(parsing: bytes)
        #expect(parsed == packet)
        #expect(parsed.serialized() == bytes)
    }

    @Test("a two-byte extension with ids above 14, empty and long elements survives a round trip")
    func everythingTwoByte() throws {
        let ext = try RTPHeaderExtension(
            twoByte: [
                .init(id: 200, data: []),
                .init(id: 1, data: Array(repeating: 9, count: 255)),
                .init(id: 15, data: [1]),
            ], appBits: 0x5)
        let packet = RTPPacket(
            payloadType: 0, sequenceNumber: 7, timestamp: 8, ssrc: 9,
            csrcs: Array(1...15), headerExtension: ext, payload: [1, 2, 3], paddingLength: 1)
        let bytes = packet.serialized()
        #expect(bytes[12 + 60] == 0x10 && bytes[12 + 61] == 0x05)
        let parsed = try RTPPacket(parsing: bytes)
        #expect(parsed == packet)
        #expect(parsed.headerExtension?.profile == 0x1005)
    }

    @Test("a generic RFC 3550 extension keeps its profile and body")
    func genericExtension() throws {
        let ext = try RTPHeaderExtension(genericProfile: 0xABCD, data: [1, 2, 3, 4, 5, 6, 7, 8])
        let packet = RTPPacket(payloadType: 5, sequenceNumber: 1, timestamp: 2, ssrc: 3, headerExtension: ext, payload: [0xFF])
        let bytes = packet.serialized()
        #expect(bytes[12..<16] == [0xAB, 0xCD, 0x00, 0x02])
        let parsed = try RTPPacket(parsing: bytes)
        #expect(parsed.headerExtension?.form == .generic(profile: 0xABCD))
        #expect(parsed.headerExtension?.genericData == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(parsed == packet)
    }

    @Test("a packet of only padding has an empty payload")
    func paddingOnly() throws {
        let packet = RTPPacket(payloadType: 96, sequenceNumber: 1, timestamp: 2, ssrc: 3, paddingLength: 255)
        let parsed = try RTPPacket(parsing: packet.serialized())
        #expect(parsed.payload.isEmpty)
        #expect(parsed.paddingLength == 255)
    }

    // A packet Chromium sent, as decoded by Wireshark: PT 45, seq 6751, timestamp
    // 3557360969, SSRC 0xf7b16e83, one-byte extensions 2 = f34350 (abs-send-time),
    // 4 = 009b (transport-wide seq), 13 = 810045, then one padding byte.
    static let chromiumOneBytePacket = hex("""
        902d1a5f d4090549 f7b16e83 bede0003
        22f34350 41009b d2810045 00
        """)

    // Another capture with the two-byte form (profile 0x1000, length 17 words).
    static let chromiumTwoBytePacket = hex("""
        902d61c5 950a0fee 8d3814e5 10000011
        020303f7ae 04020002 090130 030100 060102
        070d0100010007000700 0a00000000
        0d21c000018003187aaaf130a0a014d14138230460086422222650 09f0077013f00ef0
        """)

    @Test("a Chromium packet with one-byte extensions parses to Wireshark's fields")
    func chromiumOneByte() throws {
        let packet = try RTPPacket(parsing: Self.chromiumOneBytePacket)
        #expect(packet.payloadType == 45)
        #expect(packet.sequenceNumber == 6751)
        #expect(packet.timestamp == 3_557_360_969)
        #expect(packet.ssrc == 0xF7B1_6E83)
        #expect(!packet.marker)
        #expect(packet.headerExtension?.form == .oneByte)
        #expect(packet.headerExtension?.elements.map(\.id) == [2, 4, 13])
        #expect(packet.extensionElement(id: 2) == [0xF3, 0x43, 0x50])
        #expect(packet.extensionElement(id: 4) == [0x00, 0x9B])
        #expect(packet.extensionElement(id: 13) == [0x81, 0x00, 0x45])
        #expect(packet.payload.isEmpty)
        #expect(packet.serialized() == Self.chromiumOneBytePacket)
    }

    @Test("a Chromium packet with two-byte extensions parses to Wireshark's fields")
    func chromiumTwoByte() throws {
        let packet = try RTPPacket(parsing: Self.chromiumTwoBytePacket)
        #expect(packet.sequenceNumber == 25029)
        #expect(packet.timestamp == 2_500_464_622)
        #expect(packet.headerExtension?.form == .twoByte(appBits: 0))
        #expect(packet.headerExtension?.elements.map(\.id) == [2, 4, 9, 3, 6, 7, 13])
        #expect(packet.extensionElement(id: 2) == [0x03, 0xF7, 0xAE])
        #expect(packet.extensionElement(id: 7)?.count == 13)
        #expect(packet.extensionElement(id: 13)?.count == 33)
        #expect(packet.serialized() == Self.chromiumTwoBytePacket)
    }

    @Test("the header view finds the same fields and element ranges without copying")
    func headerView() throws {
        let bytes = Self.chromiumOneBytePacket
        let header = try RTPHeader(parsing: bytes)
        #expect(header.sequenceNumber == 6751)
        #expect(header.extensionProfile == 0xBEDE)
        #expect(header.extensionRange == 16..<28)
        #expect(header.payloadRange == 28..<28)
        let range = try #require(header.extensionElementRange(id: 4, in: bytes))
        #expect(Array(bytes[range]) == [0x00, 0x9B])
        #expect(header.extensionElementRange(id: 5, in: bytes) == nil)
        #expect(header.headerSize == 28)
        #expect(header.packetSize == bytes.count)
    }

    @Test("the header view reports CSRCs, payload and padding offsets")
    func headerViewOffsets() throws {
        let packet = RTPPacket(
            payloadType: 100, sequenceNumber: 10, timestamp: 20, ssrc: 30,
            marker: true, csrcs: [0x11, 0x22], payload: [1, 2, 3, 4, 5], paddingLength: 3)
        let bytes = packet.serialized()
        let header = try RTPHeader(parsing: bytes)
        #expect(header.marker && header.payloadType == 100)
        #expect(header.csrcCount == 2)
        #expect(header.csrc(at: 1, in: bytes) == 0x22)
        #expect(header.payloadRange == 20..<25)
        #expect(header.paddingLength == 3 && header.hasPadding)
        #expect(!header.hasExtension)
        // Parsing from a slice gives offsets relative to the slice start.
        let framed = [0xEE, 0xEE] + bytes
        let slice = framed[2...]
        let fromSlice = try RTPHeader(parsing: slice)
        #expect(fromSlice == header)
        #expect(try RTPPacket(header: header, packet: bytes) == packet)
    }

    @Test("parsing a non-contiguous collection gives the same packet")
    func nonContiguousCollection() throws {
        let bytes = Self.chromiumTwoBytePacket
        let parsed = try RTPPacket(parsing: bytes.lazy.map { $0 })
        #expect(parsed == (try RTPPacket(parsing: bytes)))
    }
}
