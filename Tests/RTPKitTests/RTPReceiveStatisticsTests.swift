import Testing
import RTPKit

@Suite("RTP reception statistics")
struct RTPReceiveStatisticsTests {
    static let start = ContinuousClock.now

    /// The report block at `now`, which must exist.
    static func report(_ statistics: inout RTPReceiveStatistics, at now: ContinuousClock.Instant) throws -> RTCPReportBlock {
        let block = statistics.makeReportBlock(at: now)
        return try #require(block)
    }

    /// Records packets with sequence numbers `sequences`, timestamps `step` apart
    /// per sequence number, arriving in step with the media clock plus `offset`.
    static func record(
        _ sequences: [UInt16], into statistics: inout RTPReceiveStatistics,
        firstSequence: UInt16, step: UInt32 = 960, offset: Duration = .zero
    ) {
        for sequence in sequences {
            let index = Int(sequence &- firstSequence)
            let arrival = start.advanced(by: .microseconds(Int64(index) * Int64(step) * 1_000_000 / Int64(statistics.clockRate)) + offset)
            statistics.record(sequenceNumber: sequence, rtpTimestamp: 5000 &+ UInt32(index) &* step, arrival: arrival)
        }
    }

    @Test("nothing is reported before the first packet")
    func empty() {
        var statistics = RTPReceiveStatistics(ssrc: 1, clockRate: 48_000)
        #expect(statistics.makeReportBlock(at: Self.start) == nil)
        #expect(statistics.extendedHighestSequenceNumber == nil)
        #expect(statistics.expectedPackets == 0)
    }

    @Test("an unbroken stream reports no loss and zero jitter, whatever the constant delay")
    func noLossNoJitter() throws {
        for offset in [Duration.zero, .milliseconds(73)] {
            var statistics = RTPReceiveStatistics(ssrc: 7, clockRate: 48_000)
            Self.record(Array(100..<200), into: &statistics, firstSequence: 100, offset: offset)
            let block = try RTPReceiveStatisticsTests.report(&statistics, at: Self.start.advanced(by: .seconds(3)))
            #expect(block == RTCPReportBlock(ssrc: 7, extendedHighestSequenceNumber: 199))
            #expect(statistics.jitter == 0)
            #expect(statistics.packetsReceived == 100)
        }
    }

    @Test("loss gives the cumulative count and the fraction per interval")
    func loss() throws {
        var statistics = RTPReceiveStatistics(ssrc: 7, clockRate: 48_000)
        // 100 packets, 10 lost: fraction 10 * 256 / 100 = 25.6, truncated to 25.
        let first = (0..<100).map { UInt16($0) }.filter { $0 % 10 != 5 }
        Self.record(first, into: &statistics, firstSequence: 0)
        var block = try RTPReceiveStatisticsTests.report(&statistics, at: Self.start)
        #expect(block.cumulativeLost == 10)
        #expect(block.fractionLost == 25)
        #expect(block.extendedHighestSequenceNumber == 99)
        // Then 50 more with 2 lost: 2 * 256 / 50 = 10.24 -> 10; cumulative 12.
        let second = (100..<150).map { UInt16($0) }.filter { $0 != 120 && $0 != 121 }
        Self.record(second, into: &statistics, firstSequence: 0)
        block = try RTPReceiveStatisticsTests.report(&statistics, at: Self.start)
        #expect(block.cumulativeLost == 12)
        #expect(block.fractionLost == 10)
        // An interval with nothing new reports no fraction lost.
        block = try RTPReceiveStatisticsTests.report(&statistics, at: Self.start)
        #expect(block.fractionLost == 0 && block.cumulativeLost == 12)
    }

    @Test("jitter follows RFC 3550 A.8 for a hand-computed delay pattern")
    func jitterByHand() throws {
        var statistics = RTPReceiveStatistics(ssrc: 1, clockRate: 8000)
        // 20 ms packets (160 ticks). Arrivals: 0 ms, 30 ms (10 late), 40 ms (back on time), 60 ms.
        let arrivals: [Int64] = [0, 30, 40, 60]
        for (index, milliseconds) in arrivals.enumerated() {
            statistics.record(
                sequenceNumber: UInt16(index), rtpTimestamp: UInt32(index) * 160,
                arrival: Self.start.advanced(by: .milliseconds(milliseconds)))
        }
        // D = |240 - 160| = 80 -> J = 80/16 = 5; D = |80 - 160| = 80 -> J = 5 + 75/16 = 9.6875;
        // D = |160 - 160| = 0 -> J = 9.6875 - 9.6875/16 = 9.08203125.
        #expect(abs(statistics.jitter - 9.08203125) < 1e-9)
        #expect(try RTPReceiveStatisticsTests.report(&statistics, at: Self.start).jitter == 9)
        #expect(statistics.jitterDuration == .nanoseconds(1_135_253))
    }

    @Test("packets sharing a timestamp (one video frame) give no jitter sample")
    func sameTimestamp() {
        var statistics = RTPReceiveStatistics(ssrc: 1, clockRate: 90_000)
        for index in 0..<5 {
            statistics.record(
                sequenceNumber: UInt16(index), rtpTimestamp: 3000,
                arrival: Self.start.advanced(by: .milliseconds(Int64(index) * 7)))
        }
        #expect(statistics.jitter == 0)
    }

    @Test("reordered packets count as received and leave no loss")
    func reorder() throws {
        var statistics = RTPReceiveStatistics(ssrc: 1, clockRate: 48_000)
        Self.record([10, 11, 13, 12, 14, 16, 15], into: &statistics, firstSequence: 10)
        let block = try RTPReceiveStatisticsTests.report(&statistics, at: Self.start)
        #expect(block.cumulativeLost == 0 && block.fractionLost == 0)
        #expect(block.extendedHighestSequenceNumber == 16)
        #expect(statistics.packetsReceived == 7)
        // Arrival times match the media clock, so in-order samples still give zero jitter.
        #expect(statistics.jitter == 0)
    }

    @Test("duplicates make the cumulative loss negative, as in A.3")
    func duplicates() throws {
        var statistics = RTPReceiveStatistics(ssrc: 1, clockRate: 48_000)
        Self.record([1, 2, 2, 3], into: &statistics, firstSequence: 1)
        #expect(try RTPReceiveStatisticsTests.report(&statistics, at: Self.start).cumulativeLost == -1)
    }

    @Test("the extended highest sequence number counts wraps in its high 16 bits")
    func wrap() throws {
        var statistics = RTPReceiveStatistics(ssrc: 1, clockRate: 48_000)
        let sequences = (0..<20).map { UInt16(65530) &+ UInt16($0) }
        Self.record(sequences, into: &statistics, firstSequence: 65530)
        let block = try RTPReceiveStatisticsTests.report(&statistics, at: Self.start)
        #expect(block.extendedHighestSequenceNumber == 0x0001_000D)
        #expect(statistics.extendedHighestSequenceNumber == 65_549)
        #expect(block.cumulativeLost == 0)
        // A late packet from before the wrap does not add a cycle.
        Self.record([65535], into: &statistics, firstSequence: 65530)
        #expect(statistics.extendedHighestSequenceNumber == 65_549)
    }

    @Test("a single big jump is set aside; a second packet after it restarts the statistics")
    func bigJump() throws {
        var statistics = RTPReceiveStatistics(ssrc: 1, clockRate: 48_000)
        Self.record([1, 2, 3], into: &statistics, firstSequence: 1)
        let jumped = statistics.record(sequenceNumber: 30_000, rtpTimestamp: 0, arrival: Self.start)
        #expect(!jumped)
        #expect(statistics.packetsReceived == 3)
        Self.record([4], into: &statistics, firstSequence: 1)
        #expect(statistics.cumulativeLost == 0)
        // Two in a row: a new sequence space.
        statistics.record(sequenceNumber: 40_000, rtpTimestamp: 0, arrival: Self.start)
        statistics.record(sequenceNumber: 40_001, rtpTimestamp: 960, arrival: Self.start.advanced(by: .milliseconds(20)))
        statistics.record(sequenceNumber: 40_003, rtpTimestamp: 2880, arrival: Self.start.advanced(by: .milliseconds(60)))
        #expect(statistics.packetsReceived == 2)
        #expect(statistics.expectedPackets == 3)
        #expect(statistics.extendedHighestSequenceNumber == 40_003)
    }

    @Test("LSR and DLSR come from the last sender report and the report time")
    func lastSenderReport() throws {
        var statistics = RTPReceiveStatistics(ssrc: 1, clockRate: 90_000)
        Self.record([1, 2], into: &statistics, firstSequence: 1, step: 3000)
        var block = try RTPReceiveStatisticsTests.report(&statistics, at: Self.start)
        #expect(block.lastSenderReport == 0 && block.delaySinceLastSenderReport == 0)
        let report = RTCPSenderReport(
            ssrc: 1, ntpTimestamp: NTPTimestamp(seconds: 0x1234_5678, fraction: 0x9ABC_DEF0),
            rtpTimestamp: 0, packetCount: 2, octetCount: 2000)
        statistics.recordSenderReport(report, arrival: Self.start.advanced(by: .seconds(1)))
        block = try RTPReceiveStatisticsTests.report(&statistics, at: Self.start.advanced(by: .milliseconds(2500)))
        #expect(block.lastSenderReport == 0x5678_9ABC)
        #expect(block.delaySinceLastSenderReport == 0x0001_8000)  // 1.5 s
    }
}
