import Testing
import RTPKit

/// The VP8 depacketizer fed with arrival times: the receiver's video jitter
/// buffer, which waits by time (never by packet count) for a missing packet.
@Suite("Video jitter buffer (VP8 packets pushed with their arrival times)")
struct VideoJitterBufferTests {
    typealias Sent = VP8DepacketizerTests.SentFrame

    let start = ContinuousClock.now

    /// Pushes `packets`, the i-th arriving at `start + times[i]`, waiting up to `wait` for gaps.
    static func push(
        _ packets: [RTPPacket], at times: [Duration], from start: ContinuousClock.Instant, wait: Duration,
        into depacketizer: inout VP8Depacketizer
    ) -> [RTPDepacketizerEvent] {
        for (packet, time) in zip(packets, times) {
            depacketizer.push(
                payload: packet.payload, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp,
                marker: packet.marker, arrival: start + time, lossWait: wait)
        }
        return VP8DepacketizerTests.drain(&depacketizer)
    }

    /// A time for each packet: 10 ms apart.
    static func evenly(_ count: Int, from first: Int = 0) -> [Duration] {
        (0..<count).map { .milliseconds(10 * ($0 + first)) }
    }

    @Test("a retransmission 200 ms after its gap, well past 8 later packets, still completes its frame, and the frames behind it follow in order")
    func retransmissionAfterManyPackets() {
        let sent = VP8DepacketizerTests.stream([300, 300, 300, 300, 300], keys: [0])  // 3 packets each
        var packets = sent.flatMap(\.packets)
        let lost = packets.remove(at: 4)  // frame 1's second packet
        var depacketizer = VP8Depacketizer()
        let before = Self.push(packets, at: Self.evenly(packets.count), from: start, wait: .milliseconds(300), into: &depacketizer)
        #expect(before.compactMap(\.frame).map(\.data) == [sent[0].data], "frames behind the gap wait")
        #expect(depacketizer.nextDeadline == start + .milliseconds(40) + .milliseconds(300), "the gap is given up 300 ms after the packet after it came")
        let after = Self.push([lost], at: [.milliseconds(240)], from: start, wait: .milliseconds(300), into: &depacketizer)
        #expect(after.compactMap(\.frame).map(\.data) == sent[1...].map(\.data))
        #expect(after.allSatisfy { $0.isFrame })
        #expect(depacketizer.lostPackets == 0)
        #expect(depacketizer.nextDeadline == nil)
        // The frame that waited spent 240 - 30 ms in the buffer from its first packet.
        #expect(after.first?.frame?.firstPacketArrival == start + .milliseconds(30))
    }

    @Test("a gap nobody fills is given up by advance(to:) at its deadline, not before, and the stream resumes at the next key frame")
    func gapGivenUpAtDeadline() {
        let sent = VP8DepacketizerTests.stream([300, 300, 300, 300], keys: [0, 3])
        var packets = sent.flatMap(\.packets)
        packets.remove(at: 4)
        var depacketizer = VP8Depacketizer()
        _ = Self.push(Array(packets[0..<8]), at: Self.evenly(8), from: start, wait: .milliseconds(100), into: &depacketizer)
        let deadline = start + .milliseconds(40) + .milliseconds(100)
        #expect(depacketizer.nextDeadline == deadline)
        depacketizer.advance(to: deadline - .milliseconds(1))
        #expect(VP8DepacketizerTests.drain(&depacketizer).isEmpty, "still waiting a millisecond before the deadline")
        depacketizer.advance(to: deadline)
        let given = VP8DepacketizerTests.drain(&depacketizer)
        #expect(given.first == .frameDropped(RTPDroppedFrame(reason: .packetLoss, timestamp: 6000, discardedPackets: 1)))
        #expect(given.dropFirst().allSatisfy { !$0.isFrame }, "the delta frame after the loss is not decodable")
        #expect(depacketizer.lostPackets == 1)
        let resumed = Self.push(Array(packets[8...]), at: Self.evenly(3, from: 20), from: start, wait: .milliseconds(100), into: &depacketizer)
        #expect(resumed.compactMap(\.frame).map(\.data) == [sent[3].data])
    }

    @Test("with no loss, each frame leaves the buffer the moment its last packet arrives, even when packets come out of order")
    func noAddedDelayWithoutLoss() {
        let sent = VP8DepacketizerTests.stream([300, 300, 300], keys: [0])
        var packets = sent.flatMap(\.packets)
        let times = Self.evenly(packets.count)
        packets.swapAt(1, 2)  // reordered within frame 0
        var depacketizer = VP8Depacketizer()
        var outAt: [Duration] = []
        for (packet, time) in zip(packets, times) {
            _ = Self.push([packet], at: [time], from: start, wait: .milliseconds(300), into: &depacketizer).map { _ in outAt.append(time) }
        }
        #expect(outAt == [.milliseconds(20), .milliseconds(50), .milliseconds(80)])
    }

    @Test("a lost packet between frames whose picture ids are consecutive (padding) costs no frame and no key frame")
    func lostPaddingNeedsNoKeyFrame() {
        let sent = VP8DepacketizerTests.stream([150, 150, 150], keys: [0])
        // A padding packet sat between frame 0 and frame 1 and was lost: a sequence gap, consecutive picture ids.
        var packets = sent[0].packets
        for var packet in sent[1].packets + sent[2].packets {
            packet.sequenceNumber &+= 1
            packets.append(packet)
        }
        var depacketizer = VP8Depacketizer()
        var events = Self.push(packets, at: Self.evenly(packets.count), from: start, wait: .milliseconds(50), into: &depacketizer)
        depacketizer.advance(to: start + .seconds(1))
        events += VP8DepacketizerTests.drain(&depacketizer)
        #expect(events.compactMap(\.frame).map(\.data) == [sent[0].data, sent[1].data, sent[2].data])
        #expect(events.allSatisfy { $0.isFrame }, "no drop reported: \(events)")
        #expect(depacketizer.gapsWithoutMissingFrames == 1)
    }

    @Test("a whole frame lost between two complete ones (a picture id skipped) drops the next delta frame and waits for a key frame")
    func lostFrameBreaksTheChain() {
        let sent = VP8DepacketizerTests.stream([150, 150, 150, 150], keys: [0, 3])
        let packets = sent[0].packets + sent[2].packets + sent[3].packets
        var depacketizer = VP8Depacketizer()
        var events = Self.push(packets, at: Self.evenly(packets.count), from: start, wait: .milliseconds(50), into: &depacketizer)
        depacketizer.advance(to: start + .seconds(1))
        events += VP8DepacketizerTests.drain(&depacketizer)
        #expect(events.contains(.frameDropped(RTPDroppedFrame(reason: .packetLoss, timestamp: nil, discardedPackets: 0))))
        #expect(events.compactMap(\.frame).map(\.data) == [sent[0].data, sent[3].data])
        #expect(depacketizer.gapsWithoutMissingFrames == 0)
    }

    @Test("a stream that jumps further ahead than the buffer holds is cleared with a drop report (the cue for a key-frame request), and never stalls")
    func fullBufferIsCleared() {
        let sent = VP8DepacketizerTests.stream([150, 150], keys: [0, 1])
        var depacketizer = VP8Depacketizer(capacity: 16)
        var packets = [sent[0].packets[0]]  // frame 0 starts; the rest never comes
        for var packet in sent[1].packets {
            packet.sequenceNumber &+= 40  // far beyond the 16-packet ring
            packets.append(packet)
        }
        let events = Self.push(packets, at: Self.evenly(packets.count), from: start, wait: .seconds(10), into: &depacketizer)
        #expect(events.first == .frameDropped(RTPDroppedFrame(reason: .bufferOverflow, timestamp: 3000, discardedPackets: 1)))
        #expect(events.compactMap(\.frame).map(\.data) == [sent[1].data])
    }

    @Test("a lost packet inside a run of padding before the next frame, with consecutive picture ids, still costs no frame")
    func lostPaddingAmongPadding() {
        let sent = VP8DepacketizerTests.stream([150, 150], keys: [0], firstSequenceNumber: 0)
        var packets = sent[0].packets  // sequence numbers 0 and 1
        // Padding at 2, 3 and 4; 2 is lost. Frame 1 moves to 5 and 6.
        for sequence: UInt16 in [3, 4] {
            packets.append(RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: 3000, ssrc: 5, paddingLength: 200))
        }
        for var packet in sent[1].packets {
            packet.sequenceNumber &+= 3
            packets.append(packet)
        }
        var depacketizer = VP8Depacketizer()
        var events = Self.push(packets, at: Self.evenly(packets.count), from: start, wait: .milliseconds(50), into: &depacketizer)
        depacketizer.advance(to: start + .seconds(1))
        events += VP8DepacketizerTests.drain(&depacketizer)
        #expect(events.compactMap(\.frame).map(\.data) == [sent[0].data, sent[1].data])
        #expect(events.allSatisfy { $0.isFrame }, "no drop reported: \(events)")
    }
}
