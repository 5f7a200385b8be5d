/// Reception statistics for one incoming RTP stream (one SSRC), as RFC 3550
/// appendix A.1, A.3 and A.8 describe, and the report block they produce.
///
/// Feed it every received packet with its arrival time, and every SR from
/// the same source; ask it for a ``RTCPReportBlock`` when an RR or SR is due.
///
/// - Sequence numbers follow A.1 without probation: the first packet starts the
///   stream; a jump of `maxDropout` or more ahead (or more than `maxMisorder`
///   behind) is ignored unless the next packet follows it, which restarts the
///   statistics. Duplicates and late packets count as received, as in A.1, so
///   the cumulative loss can go negative.
/// - Jitter follows A.8 in timestamp units, sampled like libwebrtc: only on
///   in-order packets whose RTP timestamp differs from the previous in-order
///   packet's (the packets of one video frame share a timestamp).
public struct RTPReceiveStatistics: Sendable, Hashable {
    /// A.1's MAX_DROPOUT: the largest forward jump accepted as loss.
    public static let maxDropout: UInt16 = 3000
    /// A.1's MAX_MISORDER: the largest backward step accepted as reordering.
    public static let maxMisorder: UInt16 = 100

    /// The source these statistics describe.
    public let ssrc: UInt32
    /// The RTP clock rate of the stream in Hz (90000 for video, 48000 for Opus).
    public let clockRate: Int

    private var started = false
    private var baseSequence: UInt16 = 0
    private var maxSequence: UInt16 = 0
    private var cycles: Int64 = 0
    private var badSequence: UInt32 = 0x1_0001
    /// Packets counted as received (duplicates and late packets included, as in A.1).
    public private(set) var packetsReceived: Int64 = 0
    private var expectedPrior: Int64 = 0
    private var receivedPrior: Int64 = 0

    /// The interarrival jitter estimate in RTP timestamp units (A.8).
    public private(set) var jitter: Double = 0
    private var lastArrival: ContinuousClock.Instant?
    private var lastTimestamp: UInt32 = 0

    private var lastSenderReportNTP: UInt32 = 0
    private var lastSenderReportArrival: ContinuousClock.Instant?

    /// Creates empty statistics for `ssrc` with a media clock of `clockRate` Hz.
    ///
    /// - Precondition: `clockRate` is positive.
    public init(ssrc: UInt32, clockRate: Int) {
        precondition(clockRate > 0, "the RTP clock rate must be positive")
        self.ssrc = ssrc
        self.clockRate = clockRate
    }

    /// The extended highest sequence number received (cycles times 65536 plus
    /// the highest sequence number), or nil before the first packet.
    public var extendedHighestSequenceNumber: Int64? {
        started ? cycles + Int64(maxSequence) : nil
    }

    /// The number of packets expected so far (A.3): extended highest minus the first sequence number, plus one.
    public var expectedPackets: Int64 {
        started ? cycles + Int64(maxSequence) - Int64(baseSequence) + 1 : 0
    }

    /// Packets expected but not received (A.3); negative when duplicates arrived.
    public var cumulativeLost: Int64 { expectedPackets - packetsReceived }

    /// The jitter estimate as a duration.
    public var jitterDuration: Duration {
        let nanoseconds = jitter * 1_000_000_000 / Double(clockRate)
        return nanoseconds < 9e18 ? .nanoseconds(Int64(nanoseconds)) : .seconds(Int64.max / 1_000_000_000)
    }

    /// Records one received packet.
    ///
    /// - Returns: false when the packet was set aside as a suspected stream
    ///   jump (A.1's "bad sequence"); true when it was counted.
    @discardableResult
    public mutating func record(sequenceNumber: UInt16, rtpTimestamp: UInt32, arrival: ContinuousClock.Instant) -> Bool {
        guard started else {
            restart(at: sequenceNumber)
            packetsReceived = 1
            lastArrival = arrival
            lastTimestamp = rtpTimestamp
            return true
        }
        let delta = sequenceNumber &- maxSequence
        var inOrder = false
        if delta < Self.maxDropout {
            if sequenceNumber < maxSequence {
                cycles += 0x1_0000
            }
            maxSequence = sequenceNumber
            inOrder = delta > 0
        } else if delta <= UInt16.max - Self.maxMisorder + 1 {
            // A very large jump: accept it only when the next packet follows it.
            if UInt32(sequenceNumber) == badSequence {
                restart(at: sequenceNumber)
                lastArrival = arrival
                lastTimestamp = rtpTimestamp
                packetsReceived = 1
                return true
            }
            badSequence = UInt32(sequenceNumber &+ 1)
            return false
        }
        // Otherwise a duplicate or a reordered packet: counted, no jitter sample.
        packetsReceived += 1
        if inOrder {
            updateJitter(rtpTimestamp: rtpTimestamp, arrival: arrival)
        }
        return true
    }

    /// Records the receipt of a sender report from this source, for LSR and DLSR.
    public mutating func recordSenderReport(ntpTimestamp: NTPTimestamp, arrival: ContinuousClock.Instant) {
        lastSenderReportNTP = ntpTimestamp.middle32Bits
        lastSenderReportArrival = arrival
    }

    /// Records the receipt of a sender report from this source, for LSR and DLSR.
    public mutating func recordSenderReport(_ report: RTCPSenderReport, arrival: ContinuousClock.Instant) {
        recordSenderReport(ntpTimestamp: report.ntpTimestamp, arrival: arrival)
    }

    /// Builds a report block for a report sent at `now`, and starts a new
    /// interval for the fraction lost (A.3). Nil before the first packet.
    public mutating func makeReportBlock(at now: ContinuousClock.Instant) -> RTCPReportBlock? {
        guard started else { return nil }
        let expected = expectedPackets
        let expectedInterval = expected - expectedPrior
        expectedPrior = expected
        let receivedInterval = packetsReceived - receivedPrior
        receivedPrior = packetsReceived
        let lostInterval = expectedInterval - receivedInterval
        var fraction: UInt8 = 0
        if expectedInterval > 0, lostInterval > 0 {
            fraction = UInt8(min((lostInterval << 8) / expectedInterval, 255))
        }
        var delay: UInt32 = 0
        if let arrival = lastSenderReportArrival {
            delay = NTPTimestamp.shortFormat(from: arrival.duration(to: now))
        }
        return RTCPReportBlock(
            ssrc: ssrc,
            fractionLost: fraction,
            cumulativeLost: Int32(clamping: cumulativeLost),
            extendedHighestSequenceNumber: UInt32(truncatingIfNeeded: cycles + Int64(maxSequence)),
            // Truncation, without libm's floor (not linked on Linux without Foundation).
            jitter: jitter < 4_294_967_295 ? UInt32(jitter) : UInt32.max,
            lastSenderReport: lastSenderReportNTP,
            delaySinceLastSenderReport: delay)
    }

    private mutating func restart(at sequenceNumber: UInt16) {
        started = true
        baseSequence = sequenceNumber
        maxSequence = sequenceNumber
        badSequence = 0x1_0001
        cycles = 0
        packetsReceived = 0
        expectedPrior = 0
        receivedPrior = 0
        jitter = 0
    }

    private mutating func updateJitter(rtpTimestamp: UInt32, arrival: ContinuousClock.Instant) {
        defer {
            lastArrival = arrival
            lastTimestamp = rtpTimestamp
        }
        guard let previous = lastArrival, rtpTimestamp != lastTimestamp else { return }
        let (seconds, attoseconds) = previous.duration(to: arrival).components
        let arrivalDelta = (Double(seconds) + Double(attoseconds) * 1e-18) * Double(clockRate)
        let timestampDelta = Double(Int32(bitPattern: rtpTimestamp &- lastTimestamp))
        let difference = abs(arrivalDelta - timestampDelta)
        jitter += (difference - jitter) / 16
    }
}
