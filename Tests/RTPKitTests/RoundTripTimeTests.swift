import Testing
import RTPKit

@Suite("Round-trip time from report blocks")
struct RoundTripTimeTests {
    @Test("RFC 3550 figure 2: A=0xb710:8000, LSR=0xb705:2000, DLSR=0x0005:4000 gives 6.125 s")
    func rfcExample() {
        let block = RTCPReportBlock(ssrc: 1, lastSenderReport: 0xB705_2000, delaySinceLastSenderReport: 0x0005_4000)
        // A's middle 32 bits are 0xb7108000.
        let arrival = NTPTimestamp(rawValue: UInt64(0xB710_8000) << 16)
        #expect(block.roundTripTime(receivedAt: arrival) == .milliseconds(6125))
    }

    @Test("no LSR means no RTT; a negative result is clamped to zero")
    func edges() {
        let noSR = RTCPReportBlock(ssrc: 1, lastSenderReport: 0, delaySinceLastSenderReport: 5)
        #expect(noSR.roundTripTime(receivedAt: NTPTimestamp(seconds: 100, fraction: 0)) == nil)
        let early = RTCPReportBlock(ssrc: 1, lastSenderReport: 0x0064_0000, delaySinceLastSenderReport: 0x0001_0000)
        #expect(early.roundTripTime(receivedAt: NTPTimestamp(seconds: 100, fraction: 0)) == .zero)
    }

    @Test("a sender report through the receiver's statistics and back measures the path delay")
    func endToEnd() throws {
        let start = ContinuousClock.now
        let oneWay = Duration.milliseconds(40)
        let hold = Duration.milliseconds(730)
        // The sender's wall clock, as NTP, when it sends the SR.
        let sentAt = NTPTimestamp(unixSeconds: 1_700_000_000, nanoseconds: 123_456_789)
        let report = RTCPSenderReport(ssrc: 9, ntpTimestamp: sentAt, rtpTimestamp: 0, packetCount: 1, octetCount: 100)
        // The receiver (its own monotonic clock) gets it one way later and reports after a while.
        var statistics = RTPReceiveStatistics(ssrc: 9, clockRate: 90_000)
        statistics.record(sequenceNumber: 1, rtpTimestamp: 0, arrival: start)
        statistics.recordSenderReport(report, arrival: start.advanced(by: oneWay))
        let block = try RTPReceiveStatisticsTests.report(&statistics, at: start.advanced(by: oneWay + hold))
        // The sender receives the block one way later still.
        let arrival = sentAt.advanced(by: oneWay + hold + oneWay)
        let rtt = try #require(block.roundTripTime(receivedAt: arrival))
        // Within the 1/65536 s resolution of the short format, twice over.
        let error = rtt > .milliseconds(80) ? rtt - .milliseconds(80) : .milliseconds(80) - rtt
        #expect(error < .microseconds(31))
    }
}
