import Testing
@testable import WebRTC

/// RTT-aware NACK (RFC 4585) on the receive side.
@Suite("NACK list")
struct NACKListTests {
    let start = ContinuousClock.now
    let roundTrip = Duration.milliseconds(100)

    @Test("a missing packet is asked for at once, then again only after a round trip and a quarter, and at most 10 times in all")
    func pacedByRoundTrip() {
        let roundTrip = Duration.milliseconds(40)
        var list = NACKList()
        _ = list.arrived(1, at: start)
        _ = list.arrived(3, at: start)
        var asked: [UInt16] = []
        list.due(at: start, roundTrip: roundTrip, into: &asked)
        #expect(asked == [2])
        list.due(at: start + .milliseconds(40), roundTrip: roundTrip, into: &asked)
        #expect(asked == [2], "not again within the round trip and a quarter (a retransmission on time arrives now)")
        list.due(at: start + .milliseconds(50), roundTrip: roundTrip, into: &asked)
        #expect(asked == [2, 2])
        for step in 2...20 { list.due(at: start + .milliseconds(50 * step), roundTrip: roundTrip, into: &asked) }
        #expect(asked.count == NACKList.maxTimes)
        #expect(list.entries.isEmpty && list.givenUp == 1)
    }

    @Test("a packet missing for less than the reordering delay is not asked for, so one merely overtaken in flight costs no NACK; after the delay it is asked for")
    func reorderingDelay() {
        var list = NACKList()
        _ = list.arrived(1, at: start)
        _ = list.arrived(4, at: start)
        var asked: [UInt16] = []
        list.due(at: start + .milliseconds(10), roundTrip: roundTrip, reorderingDelay: .milliseconds(20), into: &asked)
        #expect(asked.isEmpty)
        #expect(list.nextDue(roundTrip: roundTrip, reorderingDelay: .milliseconds(20)) == start + .milliseconds(20))
        _ = list.arrived(2, at: start + .milliseconds(15))  // overtaken, not lost
        list.due(at: start + .milliseconds(20), roundTrip: roundTrip, reorderingDelay: .milliseconds(20), into: &asked)
        #expect(asked == [3])
        #expect(list.recovered == 0)
    }

    @Test("a packet that arrives after a NACK counts as recovered and is not asked for again; a reordered one never asked for does not count")
    func recovery() {
        var list = NACKList()
        _ = list.arrived(10, at: start)
        _ = list.arrived(13, at: start)
        var asked: [UInt16] = []
        list.due(at: start, roundTrip: roundTrip, into: &asked)
        #expect(asked == [11, 12])
        _ = list.arrived(11, at: start)
        _ = list.arrived(15, at: start)
        _ = list.arrived(14, at: start)  // reordered before any NACK for it
        asked.removeAll()
        list.due(at: start + .milliseconds(200), roundTrip: roundTrip, into: &asked)
        #expect(asked == [12])
        #expect(list.recovered == 1)
    }

    @Test("a request that names a packet asked for before says so (the core then sends that NACK twice); a first request does not")
    func repeatsAreMarked() {
        var list = NACKList()
        _ = list.arrived(1, at: start)
        _ = list.arrived(3, at: start)
        var asked: [UInt16] = []
        var again = false
        list.due(at: start, roundTrip: roundTrip, into: &asked, asksAgain: &again)
        #expect(asked == [2] && !again)
        _ = list.arrived(5, at: start + .milliseconds(130))
        asked.removeAll()
        list.due(at: start + .milliseconds(130), roundTrip: roundTrip, into: &asked, asksAgain: &again)
        #expect(asked == [2, 4] && again)
    }

    @Test("a gap wider than 64 packets, or more than 128 missing at once, asks for a key frame and forgets the list")
    func givesUpForKeyFrame() {
        var list = NACKList()
        _ = list.arrived(0, at: start)
        #expect(list.arrived(100, at: start) == .needsKeyFrame)
        #expect(list.entries.isEmpty)
        var sequence: Int64 = 100
        var outcome = NACKList.Arrival.noted
        for _ in 0..<10 where outcome == .noted {
            sequence += 21  // 20 missing each time
            outcome = list.arrived(sequence, at: start)
        }
        #expect(outcome == .needsKeyFrame)
        #expect(list.entries.isEmpty)
    }

    @Test("a packet missing for more than 500 ms is given up, however few times it was asked for")
    func givenUpWhenOld() {
        var list = NACKList()
        _ = list.arrived(1, at: start)
        _ = list.arrived(3, at: start)
        var asked: [UInt16] = []
        list.due(at: start, roundTrip: .milliseconds(300), into: &asked)
        list.due(at: start + .milliseconds(501), roundTrip: .milliseconds(300), into: &asked)
        #expect(asked == [2])
        #expect(list.entries.isEmpty && list.givenUp == 1)
    }

    @Test("a 16-bit wrap is asked for by its 16-bit numbers")
    func wrap() {
        var list = NACKList()
        _ = list.arrived(65_534, at: start)
        _ = list.arrived(65_537, at: start)
        var asked: [UInt16] = []
        list.due(at: start, roundTrip: roundTrip, into: &asked)
        #expect(asked == [65_535, 0])
    }
}
