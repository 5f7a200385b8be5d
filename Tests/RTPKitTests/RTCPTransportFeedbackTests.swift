import RTPKit
import Testing

@Suite("Transport-wide congestion control feedback (PT 205, FMT 15)")
struct RTCPTransportFeedbackTests {
    /// Sender 1, media 2, base 100, reference time 1 (64 ms), feedback count 7, then `rest`.
    static func packet(statusCount: UInt16, _ rest: [UInt8]) -> [UInt8] {
        var body: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 2, 0, 100, UInt8(statusCount >> 8), UInt8(statusCount & 0xFF), 0, 0, 1, 7] + rest
        while body.count % 4 != 0 { body.append(0) }
        let words = UInt16(body.count / 4)
        return [0x8F, 205, UInt8(words >> 8), UInt8(words & 0xFF)] + body
    }

    @Test("a hand-built packet with a two-bit vector chunk reads as the draft describes: small, lost, negative large and zero deltas, from the 64 ms reference")
    func twoBitVector() throws {
        // 1 1 | 01 00 10 01 01 00 00: small, lost, large, small, small (two symbols past the count).
        let bytes = Self.packet(statusCount: 5, [0xD2, 0x50, 0x04, 0xFF, 0xF0, 0x08, 0x00])
        let feedback = try RTCPTransportFeedback(parsing: bytes)
        #expect(feedback.senderSSRC == 1 && feedback.mediaSSRC == 2)
        #expect(feedback.baseSequenceNumber == 100 && feedback.feedbackPacketCount == 7 && feedback.referenceTime == 1)
        #expect(feedback.packets.map(\.receiveDelta) == [4, nil, -16, 8, 0])
        let arrivals = feedback.arrivals
        #expect(arrivals.map(\.sequenceNumber) == [100, 101, 102, 103, 104])
        #expect(arrivals.map(\.arrival) == [.milliseconds(65), nil, .milliseconds(61), .milliseconds(63), .milliseconds(63)])
    }

    @Test("run-length and one-bit vector chunks read as the draft describes, and a run past the count is cut to it")
    func runLengthAndOneBitChunks() throws {
        // Run of 3 received small (0 01 0000000000011), then 14 one-bit symbols 1 0 1 0 0 … 0 (count 5 in all, so 2 used).
        let bytes = Self.packet(statusCount: 5, [0x20, 0x03, 0xA0, 0x00, 1, 2, 3, 4])
        let feedback = try RTCPTransportFeedback(parsing: bytes)
        #expect(feedback.packets.map(\.receiveDelta) == [1, 2, 3, 4, nil])
        // A run of 8191 lost packets where 3 were counted.
        let long = try RTCPTransportFeedback(parsing: Self.packet(statusCount: 3, [0x1F, 0xFF]))
        #expect(long.packets == Array(repeating: .notReceived, count: 3))
    }

    @Test("a negative 24-bit reference time is sign-extended")
    func negativeReferenceTime() throws {
        var bytes = Self.packet(statusCount: 1, [0x20, 0x01, 0x00])
        bytes[16] = 0xFF; bytes[17] = 0xFF; bytes[18] = 0xFE
        let feedback = try RTCPTransportFeedback(parsing: bytes)
        #expect(feedback.referenceTime == -2)
        #expect(feedback.arrivals[0].arrival == .milliseconds(-128))
        #expect(RTCPTransportFeedback(senderSSRC: 0, mediaSSRC: 0, baseSequenceNumber: 0, referenceTime: 0x00FF_FFFF, feedbackPacketCount: 0, packets: []).referenceTime == -1)
    }

    @Test("random feedback survives serialize then parse, alone and inside a compound packet, and its size is whole 32-bit words")
    func roundTrip() throws {
        var random = SeededGenerator(seed: 15)
        for _ in 0..<300 {
            let count = Int.random(in: 0...300, using: &random)
            let lossShare = Double.random(in: 0...1, using: &random)
            let packets = (0..<count).map { _ -> RTCPTransportFeedback.PacketResult in
                if Double.random(in: 0...1, using: &random) < lossShare { return .notReceived }
                let large = Int.random(in: 0..<10, using: &random) == 0
                return .init(receiveDelta: large ? Int16.random(in: .min ... .max, using: &random) : Int16.random(in: 0...255, using: &random))
            }
            let feedback = RTCPTransportFeedback(
                senderSSRC: UInt32.random(in: 0 ... .max, using: &random), mediaSSRC: 9, baseSequenceNumber: UInt16.random(in: 0 ... .max, using: &random),
                referenceTime: Int32.random(in: -(1 << 23) ..< (1 << 23), using: &random), feedbackPacketCount: 200, packets: packets)
            let bytes = feedback.serialized()
            #expect(bytes.count == feedback.serializedSize)
            #expect(bytes.count % 4 == 0)
            #expect(try RTCPTransportFeedback(parsing: bytes) == feedback)
            let compound = try RTCPCompoundPacket(parsing: RTCPReceiverReport(ssrc: 1, reportBlocks: []).serialized() + bytes)
            #expect(compound.packets.last == .transportWideFeedback(feedback))
        }
    }

    @Test("a long run of received packets packs into one run-length chunk; a mix packs into vector chunks")
    func compactChunks() throws {
        let steady = RTCPTransportFeedback(
            senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 0, referenceTime: 0, feedbackPacketCount: 0,
            packets: Array(repeating: .init(receiveDelta: 20), count: 100))
        #expect(steady.serializedSize == 20 + 2 + 100 + 2, "one chunk, 100 one-byte deltas, 2 bytes of padding")
        let mixed = RTCPTransportFeedback(
            senderSSRC: 1, mediaSSRC: 2, baseSequenceNumber: 0, referenceTime: 0, feedbackPacketCount: 0,
            packets: (0..<14).map { $0 % 2 == 0 ? .init(receiveDelta: 1) : .notReceived })
        #expect(mixed.serializedSize == 20 + 2 + 7 + 3, "one one-bit vector chunk")
    }

    @Test("reserved statuses, empty runs and truncated chunks or deltas are typed errors, and random bytes never crash the parser")
    func malformed() {
        #expect(throws: RTPError.self) { try RTCPTransportFeedback(parsing: Self.packet(statusCount: 1, [0x60, 0x01])) }  // run of status 3
        #expect(throws: RTPError.self) { try RTCPTransportFeedback(parsing: Self.packet(statusCount: 1, [0x20, 0x00])) }  // empty run
        #expect(throws: RTPError.self) { try RTCPTransportFeedback(parsing: Self.packet(statusCount: 1, [0xF0, 0x00])) }  // two-bit 3
        #expect(throws: RTPError.self) { try RTCPTransportFeedback(parsing: Self.packet(statusCount: 20, [0x20, 0x02, 0x20, 0x02])) }  // chunks end early
        #expect(throws: RTPError.self) { try RTCPTransportFeedback(parsing: Self.packet(statusCount: 6, [0x20, 0x06, 1, 1])) }  // deltas end early
        #expect(throws: RTPError.self) { try RTCPTransportFeedback(parsing: Self.packet(statusCount: 2, [0x40, 0x02, 0xFF])) }  // large delta cut
        var random = SeededGenerator(seed: 16)
        for _ in 0..<3_000 {
            var bytes = Self.packet(statusCount: UInt16.random(in: 0...40, using: &random), (0..<Int.random(in: 0...40, using: &random)).map { _ in
                UInt8.random(in: 0 ... .max, using: &random)
            })
            if Bool.random(using: &random) { bytes[3] = UInt8.random(in: 0 ... .max, using: &random) }
            _ = try? RTCPTransportFeedback(parsing: bytes)
            _ = try? RTCPCompoundPacket(parsing: bytes)
        }
    }
}
