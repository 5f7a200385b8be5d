import Testing
import RTPKit

@Suite("VP8 depacketization")
struct VP8DepacketizerTests {
    struct SentFrame {
        var data: [UInt8]
        var timestamp: UInt32
        var packets: [RTPPacket]
    }

    /// Frames of the given sizes (key frames where `keys` says), packetized into
    /// payloads of at most 104 bytes (100 bytes of data each), 3000 ticks apart.
    static func stream(_ sizes: [Int], keys: Set<Int> = [0], firstSequenceNumber: UInt16 = 1000) -> [SentFrame] {
        var stream = RTPStreamPacketizer(
            packetizer: VP8Packetizer(), ssrc: 5, payloadType: 96,
            sequenceNumber: firstSequenceNumber, maxPacketSize: RTPHeader.fixedSize + 104)
        return sizes.enumerated().map { index, size in
            let data = VP8PacketizerTests.frame(size: size, keyFrame: keys.contains(index), seed: UInt64(index))
            let timestamp = UInt32(index + 1) * 3000
            return SentFrame(data: data, timestamp: timestamp, packets: stream.packetize(frame: data, timestamp: timestamp))
        }
    }

    static func drain(_ depacketizer: inout some RTPDepacketizer) -> [RTPDepacketizerEvent] {
        var events: [RTPDepacketizerEvent] = []
        while let event = depacketizer.pollEvent() {
            events.append(event)
        }
        return events
    }

    static func push(_ packets: [RTPPacket], into depacketizer: inout VP8Depacketizer) -> [RTPDepacketizerEvent] {
        for packet in packets {
            depacketizer.push(packet)
        }
        return drain(&depacketizer)
    }

    @Test("in-order packets give every frame, with key frames detected from the P bit")
    func inOrder() {
        let sent = Self.stream([250, 80, 300, 1], keys: [0, 2])
        var depacketizer = VP8Depacketizer()
        let events = Self.push(sent.flatMap(\.packets), into: &depacketizer)
        let expected: [RTPDepacketizerEvent] = sent.enumerated().map { index, frame in
            .frame(RTPFrame(
                data: frame.data, timestamp: frame.timestamp, isKeyFrame: [0, 2].contains(index),
                firstSequenceNumber: frame.packets[0].sequenceNumber, packetCount: frame.packets.count))
        }
        #expect(events == expected)
    }

    @Test("a frame is delivered as soon as its marker packet arrives")
    func deliveredAtMarker() {
        let sent = Self.stream([250])
        var depacketizer = VP8Depacketizer()
        #expect(Self.push(Array(sent[0].packets.dropLast()), into: &depacketizer).isEmpty)
        #expect(Self.push([sent[0].packets.last!], into: &depacketizer).count == 1)
    }

    @Test("a lost packet in the middle drops its frame, reports it, and holds delta frames until a key frame")
    func lossInTheMiddle() {
        let sent = Self.stream([300, 300, 300, 300], keys: [0, 3])
        var depacketizer = VP8Depacketizer(reorderTolerance: 0)
        var packets = sent.flatMap(\.packets)
        let lost = sent[1].packets[1]
        packets.removeAll { $0.sequenceNumber == lost.sequenceNumber }
        let events = Self.push(packets, into: &depacketizer)
        #expect(events.count == 4)
        #expect(events[0] == .frame(RTPFrame(
            data: sent[0].data, timestamp: 3000, isKeyFrame: true, firstSequenceNumber: 1000, packetCount: 3)))
        #expect(events[1] == .frameDropped(RTPDroppedFrame(reason: .packetLoss, timestamp: 6000, discardedPackets: 1)))
        #expect(events[2] == .frameDropped(RTPDroppedFrame(reason: .waitingForKeyFrame, timestamp: 9000, discardedPackets: 3)))
        guard case .frame(let recovered) = events[3] else {
            Issue.record("expected the key frame, got \(events[3])")
            return
        }
        #expect(recovered.isKeyFrame && recovered.data == sent[3].data)
    }

    @Test("without holding back, the delta frame after a loss is delivered")
    func lossWithoutHoldingBack() {
        let sent = Self.stream([300, 300, 300], keys: [0])
        var depacketizer = VP8Depacketizer(reorderTolerance: 0, dropsDeltaFramesUntilKeyFrame: false)
        let packets = sent.flatMap(\.packets).filter { $0.sequenceNumber != sent[1].packets[2].sequenceNumber }
        let events = Self.push(packets, into: &depacketizer)
        #expect(events.count == 3)
        #expect(events[1] == .frameDropped(RTPDroppedFrame(reason: .packetLoss, timestamp: 6000, discardedPackets: 2)))
        #expect(events[2] == .frame(RTPFrame(
            data: sent[2].data, timestamp: 9000, isKeyFrame: false, firstSequenceNumber: 1006, packetCount: 3)))
    }

    @Test("delta frames before the first key frame are dropped and reported")
    func startWithoutKeyFrame() {
        let sent = Self.stream([150, 150, 150], keys: [2])
        var depacketizer = VP8Depacketizer()
        let events = Self.push(sent.flatMap(\.packets), into: &depacketizer)
        #expect(events.count == 3)
        #expect(events[0] == .frameDropped(RTPDroppedFrame(reason: .waitingForKeyFrame, timestamp: 3000, discardedPackets: 2)))
        #expect(events[1] == .frameDropped(RTPDroppedFrame(reason: .waitingForKeyFrame, timestamp: 6000, discardedPackets: 2)))
        guard case .frame(let key) = events[2] else {
            Issue.record("no key frame")
            return
        }
        #expect(key.isKeyFrame && key.data == sent[2].data)
    }

    @Test("losing a frame's first packet reports a missing start")
    func missingStart() {
        let sent = Self.stream([300, 300], keys: [0, 1])
        var depacketizer = VP8Depacketizer(reorderTolerance: 0)
        let packets = sent.flatMap(\.packets).filter { $0.sequenceNumber != sent[1].packets[0].sequenceNumber }
        let events = Self.push(packets, into: &depacketizer)
        #expect(events.count == 2)
        #expect(events[1] == .frameDropped(RTPDroppedFrame(reason: .missingStart, timestamp: 6000, discardedPackets: 2)))
    }

    @Test("losing a whole frame between two complete ones is reported")
    func wholeFrameLost() {
        let sent = Self.stream([100, 100, 100], keys: [0, 2])
        var depacketizer = VP8Depacketizer(reorderTolerance: 0)
        let events = Self.push(sent[0].packets + sent[2].packets, into: &depacketizer)
        #expect(events.count == 3)
        #expect(events[1] == .frameDropped(RTPDroppedFrame(reason: .packetLoss, timestamp: nil, discardedPackets: 0)))
        #expect(events[2].isFrame)
    }

    @Test("a timestamp change before the marker drops the unfinished frame")
    func timestampChangeMidFrame() {
        var sent = Self.stream([300, 300], keys: [0, 1])
        // The sender "forgot" the marker on frame 0's last packet: sequence numbers are contiguous.
        sent[0].packets[2].marker = false
        var depacketizer = VP8Depacketizer()
        let events = Self.push(sent.flatMap(\.packets), into: &depacketizer)
        #expect(events.count == 2)
        #expect(events[0] == .frameDropped(RTPDroppedFrame(reason: .missingEnd, timestamp: 3000, discardedPackets: 3)))
        #expect(events[1].isFrame)
    }

    @Test("packets reordered within the tolerance still complete their frames")
    func reorderWithinTolerance() {
        let sent = Self.stream([500, 500], keys: [0, 1])
        var packets = sent.flatMap(\.packets)
        packets.swapAt(1, 3)  // frame 0's second packet arrives two places late
        packets.swapAt(5, 9)  // a packet of frame 1 arrives before the end of frame 0
        packets.swapAt(6, 7)
        var depacketizer = VP8Depacketizer(reorderTolerance: 4)
        let events = Self.push(packets, into: &depacketizer)
        #expect(events.compactMap(\.frame).map(\.data) == [sent[0].data, sent[1].data])
        #expect(events.count == 2)
    }

    @Test("with no tolerance, a reordered packet counts as lost and arrives late")
    func reorderWithoutTolerance() {
        let sent = Self.stream([300, 300], keys: [0, 1])
        var packets = sent.flatMap(\.packets)
        packets.swapAt(1, 2)
        var depacketizer = VP8Depacketizer(reorderTolerance: 0)
        let events = Self.push(packets, into: &depacketizer)
        #expect(events.first == .frameDropped(RTPDroppedFrame(reason: .packetLoss, timestamp: 3000, discardedPackets: 1)))
        #expect(events.compactMap(\.frame).map(\.data) == [sent[1].data])
        #expect(depacketizer.latePackets == 1)
    }

    @Test("a packet later than the tolerance is declared lost, then ignored when it comes")
    func beyondTolerance() {
        let sent = Self.stream([1000, 100], keys: [0, 1])  // 10 packets, then 1
        var packets = sent.flatMap(\.packets)
        let straggler = packets.remove(at: 2)
        packets.append(straggler)
        var depacketizer = VP8Depacketizer(reorderTolerance: 3)
        let events = Self.push(packets, into: &depacketizer)
        #expect(events.first == .frameDropped(RTPDroppedFrame(reason: .packetLoss, timestamp: 3000, discardedPackets: 2)))
        #expect(events.compactMap(\.frame).map(\.data) == [sent[1].data])
        #expect(depacketizer.latePackets == 1)
    }

    @Test("duplicates are ignored")
    func duplicates() {
        let sent = Self.stream([300], keys: [0])
        var depacketizer = VP8Depacketizer()
        let packets = sent[0].packets
        let events = Self.push([packets[0], packets[0], packets[1], packets[0], packets[2], packets[2]], into: &depacketizer)
        #expect(events.compactMap(\.frame).map(\.data) == [sent[0].data])
        #expect(events.count == 1)
        #expect(depacketizer.duplicatePackets == 2)
        #expect(depacketizer.latePackets == 1)  // the copy after the frame was delivered
    }

    @Test("padding-only packets between frames are skipped")
    func paddingPackets() {
        let sent = Self.stream([150, 150], keys: [0], firstSequenceNumber: 0)
        var packets = sent[0].packets
        // Two padding-only packets take sequence numbers 2 and 3; frame 1 moves to 4 and 5.
        packets.append(RTPPacket(payloadType: 96, sequenceNumber: 2, timestamp: 3000, ssrc: 5, paddingLength: 200))
        packets.append(RTPPacket(payloadType: 96, sequenceNumber: 3, timestamp: 3000, ssrc: 5, paddingLength: 200))
        for var packet in sent[1].packets {
            packet.sequenceNumber &+= 2
            packets.append(packet)
        }
        var depacketizer = VP8Depacketizer(reorderTolerance: 0)
        let events = Self.push(packets, into: &depacketizer)
        #expect(events.compactMap(\.frame).map(\.data) == [sent[0].data, sent[1].data])
        #expect(events.count == 2)
    }

    @Test("a malformed payload counts as a lost packet")
    func malformedPayload() {
        let sent = Self.stream([300, 300], keys: [0, 1])
        var packets = sent.flatMap(\.packets)
        packets[1].payload = [0x80, 0x80]  // X and I set, picture ID missing
        var depacketizer = VP8Depacketizer(reorderTolerance: 0)
        let events = Self.push(packets, into: &depacketizer)
        #expect(events.first == .frameDropped(RTPDroppedFrame(reason: .packetLoss, timestamp: 3000, discardedPackets: 1)))
        #expect(events.compactMap(\.frame).map(\.data) == [sent[1].data])
        #expect(depacketizer.malformedPackets == 1)
    }

    @Test("a frame with more packets than the ring holds is dropped as a buffer overflow")
    func overflow() {
        let sent = Self.stream([3000, 100], keys: [0, 1])  // 30 packets, then 1
        var depacketizer = VP8Depacketizer(capacity: 16)
        let events = Self.push(sent.flatMap(\.packets), into: &depacketizer)
        #expect(events.first == .frameDropped(RTPDroppedFrame(reason: .bufferOverflow, timestamp: 3000, discardedPackets: 16)))
        #expect(events.compactMap(\.frame).map(\.data) == [sent[1].data])
    }

    @Test("frames spanning the sequence number wrap reassemble")
    func sequenceWrap() {
        let sent = Self.stream([450, 450, 450], keys: [0], firstSequenceNumber: 65530)
        var depacketizer = VP8Depacketizer()
        let events = Self.push(sent.flatMap(\.packets), into: &depacketizer)
        #expect(events.compactMap(\.frame).map(\.data) == sent.map(\.data))
        #expect(events.compactMap(\.frame).map(\.firstSequenceNumber) == [65530, 65535, 4])
    }

    @Test("under random loss, reordering and duplication every delivered frame is one that was sent")
    func randomNetwork() {
        var generator = SeededGenerator(seed: 0xD1CE)
        let sizes = (0..<300).map { _ in Int.random(in: 1...900, using: &generator) }
        let keys = Set(stride(from: 0, to: 300, by: 10))
        let sent = Self.stream(sizes, keys: keys, firstSequenceNumber: 64000)
        var network: [RTPPacket] = []
        for packet in sent.flatMap(\.packets) {
            let roll = Int.random(in: 0..<100, using: &generator)
            if roll < 3 { continue }  // lost
            network.append(packet)
            if roll >= 97 { network.append(packet) }  // duplicated
        }
        // Local reordering: swap neighbours now and then.
        for index in stride(from: 0, to: network.count - 3, by: 1) where Int.random(in: 0..<100, using: &generator) < 5 {
            network.swapAt(index, index + Int.random(in: 1...3, using: &generator))
        }
        var depacketizer = VP8Depacketizer(reorderTolerance: 4)
        let events = Self.push(network, into: &depacketizer)
        let byTimestamp = Dictionary(uniqueKeysWithValues: sent.map { ($0.timestamp, $0) })
        let frames = events.compactMap(\.frame)
        for frame in frames {
            #expect(frame.data == byTimestamp[frame.timestamp]?.data)
        }
        // Delivered frames come out in order, each at most once.
        #expect(frames.map(\.timestamp) == frames.map(\.timestamp).sorted())
        #expect(Set(frames.map(\.timestamp)).count == frames.count)
        #expect(frames.count > 30)
        #expect(events.contains { !$0.isFrame })
    }

    @Test("random payloads never trap the depacketizer")
    func randomPayloads() {
        var generator = SeededGenerator(seed: 0xBAD)
        var depacketizer = VP8Depacketizer(reorderTolerance: 5, capacity: 64)
        var sequence = UInt16.random(in: 0...UInt16.max, using: &generator)
        for _ in 0..<20_000 {
            let payload = randomBytes(Int.random(in: 0...12, using: &generator), using: &generator)
            sequence &+= UInt16.random(in: 0...3, using: &generator) &- 1
            if Int.random(in: 0..<200, using: &generator) == 0 {
                sequence &+= UInt16.random(in: 0...UInt16.max, using: &generator)
            }
            depacketizer.push(
                payload: payload, sequenceNumber: sequence,
                timestamp: UInt32.random(in: 0...3, using: &generator), marker: Bool.random(using: &generator))
            while depacketizer.pollEvent() != nil {}
        }
        #expect(depacketizer.malformedPackets > 0)
    }
}

extension RTPDepacketizerEvent {
    var frame: RTPFrame? {
        if case .frame(let frame) = self { return frame }
        return nil
    }

    var isFrame: Bool { frame != nil }
}
