import Testing
import RTPKit

@Suite("RTP stream packetization")
struct RTPStreamPacketizerTests {
    @Test("packets carry consecutive sequence numbers across the wrap, one timestamp, and the marker only on the last")
    func headers() throws {
        var stream = RTPStreamPacketizer(
            packetizer: VP8Packetizer(), ssrc: 42, payloadType: 96, sequenceNumber: 65534, maxPacketSize: 300)
        let packets = stream.packetize(frame: VP8PacketizerTests.frame(size: 1000), timestamp: 90_000)
        #expect(packets.count == 4)
        #expect(packets.map(\.sequenceNumber) == [65534, 65535, 0, 1])
        #expect(packets.allSatisfy { $0.timestamp == 90_000 && $0.ssrc == 42 && $0.payloadType == 96 })
        #expect(packets.map(\.marker) == [false, false, false, true])
        #expect(stream.sequenceNumber == 2)
    }

    @Test("header extensions and CSRCs are counted against the packet size limit")
    func sizeLimitWithExtensions() throws {
        var ext = RTPHeaderExtension()
        try ext.setElement(id: 1, data: [0, 0, 0])  // abs-send-time
        try ext.setElement(id: 3, data: Array("video0".utf8))  // mid
        var stream = RTPStreamPacketizer(
            packetizer: VP8Packetizer(), ssrc: 1, payloadType: 96, sequenceNumber: 0, maxPacketSize: 1200)
        let packets = stream.packetize(
            frame: VP8PacketizerTests.frame(size: 20_000), timestamp: 0, headerExtension: ext, csrcs: [7, 8])
        #expect(packets.allSatisfy { $0.serializedSize <= 1200 })
        // 12 fixed + 8 CSRC + 16 extension bytes of header and a 4-byte descriptor leave 1160 bytes per packet.
        #expect(packets[0].headerSize == 36)
        #expect(packets.count == (20_000 + 1159) / 1160)
        #expect(packets.allSatisfy { $0.extensionElement(id: 3) == Array("video0".utf8) })
    }

    @Test("the reusing variant writes the same bytes, leaves trailer room and lets the caller patch an element")
    func reusingBufferVariant() throws {
        var ext = RTPHeaderExtension()
        try ext.setElement(id: 5, data: [0, 0])  // transport-wide sequence number placeholder
        var byValue = RTPStreamPacketizer(packetizer: VP8Packetizer(), ssrc: 9, payloadType: 100, sequenceNumber: 10)
        var inPlace = byValue
        let frame = VP8PacketizerTests.frame(size: 5000)
        let expected = byValue.packetize(frame: frame, timestamp: 1234, headerExtension: ext).map { $0.serialized() }
        var written: [[UInt8]] = []
        var transportSequence: UInt16 = 500
        inPlace.packetize(frame: frame, timestamp: 1234, headerExtension: ext, reservedTrailerCapacity: 16) { packet, sequenceNumber, isLast in
            #expect(packet.capacity >= packet.count + 16)
            written.append(packet)
            // Patch the transport-wide sequence number in place, as a sender would.
            let header = try! RTPHeader(parsing: packet)
            #expect(header.sequenceNumber == sequenceNumber && header.marker == isLast)
            let range = header.extensionElementRange(id: 5, in: packet)!
            packet[range.lowerBound] = UInt8(transportSequence >> 8)
            packet[range.lowerBound + 1] = UInt8(transportSequence & 0xFF)
            transportSequence += 1
        }
        #expect(written == expected)
        #expect(inPlace.sequenceNumber == byValue.sequenceNumber)
    }

    @Test("an error thrown from emit stops packetization and keeps the sequence numbers used")
    func throwingEmit() {
        struct Stop: Error {}
        var stream = RTPStreamPacketizer(packetizer: VP8Packetizer(), ssrc: 1, payloadType: 96, sequenceNumber: 0, maxPacketSize: 200)
        var count = 0
        #expect(throws: Stop.self) {
            try stream.packetize(frame: VP8PacketizerTests.frame(size: 1000), timestamp: 0) { _, _, _ in
                count += 1
                if count == 2 { throw Stop() }
            }
        }
        #expect(count == 2)
        #expect(stream.sequenceNumber == 2)
    }
}
