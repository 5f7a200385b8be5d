import Testing
@testable import WebRTC

/// The sender's packet history: max(1 s, 3 × RTT) of packets.
@Suite("Retransmission history")
struct RetransmissionHistoryTests {
    let start = ContinuousClock.now

    @Test("a packet is resent within max(1 s, 3 × RTT) of being sent and refused after: 1 s at a 100 ms round trip, 1.5 s at 500 ms")
    func keptForTheKeepTime() {
        for (roundTrip, keep) in [(Duration.milliseconds(100), Duration.seconds(1)), (.milliseconds(500), .milliseconds(1500))] {
            var history = RetransmissionHistory(packetCapacity: 100)
            history.store([1, 2, 3], sequenceNumber: 7, at: start, roundTrip: roundTrip)
            #expect(history.packetToResend(sequenceNumber: 7, at: start + keep, interval: .zero, roundTrip: roundTrip, budget: 1000)?.packet == [1, 2, 3])
            #expect(history.packetToResend(
                sequenceNumber: 7, at: start + keep + .milliseconds(1), interval: .zero, roundTrip: roundTrip, budget: 1000) == nil)
        }
    }

    @Test("at 2000 packets a second the ring grows from 512 slots to 2048, enough for a whole second, and a ring capped lower stops at its cap")
    func growsForHighPacketRates() {
        var history = RetransmissionHistory(initialCapacity: 512, maxCapacity: 4096, packetCapacity: 10)
        for index in 0..<6000 {
            let sent = start + .microseconds(500 * index)
            history.store([UInt8(truncatingIfNeeded: index)], sequenceNumber: UInt16(index), at: sent, roundTrip: .milliseconds(50))
        }
        #expect(history.capacity == 2048)
        var capped = RetransmissionHistory(initialCapacity: 512, maxCapacity: 1024, packetCapacity: 10)
        for index in 0..<3000 {
            capped.store([1], sequenceNumber: UInt16(index), at: start + .microseconds(500 * index), roundTrip: .milliseconds(50))
        }
        #expect(capped.capacity == 1024)
        let now = start + .microseconds(500 * 5999)
        // 900 ms old: still kept, and its own bytes.
        #expect(history.packetToResend(sequenceNumber: 5999 - 1800, at: now, interval: .zero, roundTrip: .milliseconds(50), budget: 100)?
            .packet == [UInt8(truncatingIfNeeded: 5999 - 1800)])
        // At 512 slots, a packet 300 ms old would have been overwritten.
        var small = RetransmissionHistory(initialCapacity: 512, maxCapacity: 512, packetCapacity: 10)
        for index in 0..<6000 {
            small.store([1], sequenceNumber: UInt16(index), at: start + .microseconds(500 * index), roundTrip: .milliseconds(50))
        }
        #expect(small.packetToResend(sequenceNumber: 5999 - 600, at: now, interval: .zero, roundTrip: .milliseconds(50), budget: 100) == nil)
    }

    @Test("a packet resent is not resent again within the interval, and one resent after it says it was resent before")
    func notTwiceWithinTheInterval() {
        var history = RetransmissionHistory(packetCapacity: 10)
        history.store([9], sequenceNumber: 1, at: start, roundTrip: .milliseconds(100))
        let first = history.packetToResend(sequenceNumber: 1, at: start, interval: .milliseconds(75), roundTrip: .milliseconds(100), budget: 10)
        #expect(first?.resentBefore == false)
        #expect(history.packetToResend(
            sequenceNumber: 1, at: start + .milliseconds(50), interval: .milliseconds(75), roundTrip: .milliseconds(100), budget: 10) == nil)
        let again = history.packetToResend(
            sequenceNumber: 1, at: start + .milliseconds(80), interval: .milliseconds(75), roundTrip: .milliseconds(100), budget: 10)
        #expect(again?.resentBefore == true)
    }
}
