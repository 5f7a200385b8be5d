import RTPKit
import Testing

@Suite("Transport-wide feedback from the receiver's arrivals")
struct TransportFeedbackRecorderTests {
    let start = ContinuousClock.now

    /// The arrivals a feedback reports, as time since the first one, in microseconds.
    static func offsets(_ feedback: RTCPTransportFeedback, from first: Duration) -> [Int?] {
        feedback.arrivals.map { entry in entry.arrival.map { Int((($0 - first) / .microseconds(1)).rounded()) } }
    }

    @Test("ten packets 5 ms apart with one lost are reported in one feedback: nine arrivals to the 250 µs tick, one loss")
    func onePacketLost() throws {
        var recorder = TransportFeedbackRecorder()
        for index in 0..<10 where index != 4 {
            recorder.record(sequenceNumber: UInt16(100 + index), arrival: start + .microseconds(5_000 * index + 30))
        }
        let madefeedback = recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2)
        let feedback = try #require(madefeedback)
        #expect(feedback.baseSequenceNumber == 100)
        #expect(feedback.packets.count == 10)
        #expect(feedback.packets[4] == .notReceived)
        let first = try #require(feedback.arrivals[0].arrival)
        #expect(Self.offsets(feedback, from: first) == [0, 5_000, 10_000, 15_000, nil, 25_000, 30_000, 35_000, 40_000, 45_000])
        #expect(!recorder.hasUnreportedPackets)
        #expect(recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2) == nil)
    }

    @Test("the next feedback starts after the last one reported, its count goes up, and a packet already reported lost is only counted late")
    func successiveFeedback() throws {
        var recorder = TransportFeedbackRecorder()
        recorder.record(sequenceNumber: 1, arrival: start)
        recorder.record(sequenceNumber: 3, arrival: start + .milliseconds(10))
        let madefirst = recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2)
        let first = try #require(madefirst)
        #expect(first.packets.count == 3 && first.packets[1] == .notReceived)
        recorder.record(sequenceNumber: 2, arrival: start + .milliseconds(20))
        #expect(recorder.latePackets == 1)
        recorder.record(sequenceNumber: 4, arrival: start + .milliseconds(30))
        let madesecond = recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2)
        let second = try #require(madesecond)
        #expect(second.baseSequenceNumber == 4 && second.packets.count == 1)
        #expect(second.feedbackPacketCount == first.feedbackPacketCount &+ 1)
        // The reference time and first delta put it 30 ms after the start.
        let arrival = try #require(second.arrivals[0].arrival)
        let gap = arrival - first.arrivals[0].arrival!
        #expect(gap == .milliseconds(30))
    }

    @Test("sequence numbers wrap from 65535 to 0 inside one feedback")
    func wrap() throws {
        var recorder = TransportFeedbackRecorder()
        for (index, sequence) in [65_534, 65_535, 0, 1].enumerated() {
            recorder.record(sequenceNumber: UInt16(sequence), arrival: start + .milliseconds(index))
        }
        let madefeedback = recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2)
        let feedback = try #require(madefeedback)
        #expect(feedback.arrivals.map(\.sequenceNumber) == [65_534, 65_535, 0, 1])
        #expect(feedback.packets.allSatisfy { $0.receiveDelta != nil })
    }

    @Test("a gap of over 8 s between arrivals, too long for a delta, ends one feedback and starts the next")
    func longGapSplits() throws {
        var recorder = TransportFeedbackRecorder()
        recorder.record(sequenceNumber: 10, arrival: start)
        recorder.record(sequenceNumber: 11, arrival: start + .seconds(9))
        let madefirst = recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2)
        let first = try #require(madefirst)
        #expect(first.packets.count == 1)
        let madesecond = recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2)
        let second = try #require(madesecond)
        #expect(second.baseSequenceNumber == 11)
        #expect(second.arrivals[0].arrival! - first.arrivals[0].arrival! == .seconds(9))
    }

    @Test("many packets are reported in feedbacks of at most 400 that each fit a datagram, and a jump beyond the ring keeps only its last 8192")
    func boundedFeedback() throws {
        var recorder = TransportFeedbackRecorder()
        for index in 0..<1_000 {
            recorder.record(sequenceNumber: UInt16(index), arrival: start + .microseconds(700 * index))
        }
        var reported = 0
        var feedbacks = 0
        while let feedback = recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2) {
            #expect(feedback.packets.count <= 400)
            #expect(feedback.serializedSize <= 1_200)
            #expect(try RTCPTransportFeedback(parsing: feedback.serialized()) == feedback)
            reported += feedback.packets.count
            feedbacks += 1
            if feedbacks > 10 { break }
        }
        #expect(reported == 1_000 && feedbacks == 3)

        recorder.record(sequenceNumber: 1_000, arrival: start + .seconds(1))
        recorder.record(sequenceNumber: 30_000, arrival: start + .seconds(2))
        var total = 0
        var firstBase: UInt16?
        while let feedback = recorder.makeFeedback(senderSSRC: 1, mediaSSRC: 2), total < 20_000 {
            if firstBase == nil { firstBase = feedback.baseSequenceNumber }
            total += feedback.packets.count
        }
        #expect(firstBase == 30_000, "the packet far behind the jump is no longer held")
        #expect(total == 1)
    }
}
