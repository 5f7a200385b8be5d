/// The sender's estimate of what the path carries, from transport-wide
/// feedback, receiver reports and the receiver's own estimate (REMB), in the
/// spirit of Google Congestion Control (draft-ietf-rmcat-gcc-02).
///
/// Sans-IO: the owner tells it each packet it sends with its transport-wide
/// sequence number, and each feedback that comes back; it answers with
/// ``targetBitrate``, the rate the encoders and the pacer should follow.
/// Time comes in as `Duration`s on the sender's clock.
///
/// Inside, per feedback:
/// 1. Each reported packet is matched to its send time (``SentPacketHistory``).
/// 2. Arrivals feed the acknowledged bitrate (``AcknowledgedBitrateEstimator``)
///    and the delay-based detector (``PacketGroupAccumulator``,
///    ``TrendlineEstimator``, ``OveruseDetector``).
/// 3. ``AIMDRateController`` moves the delay-based estimate; the
///    ``LossBasedController`` sets a limit from the packets reported lost.
/// 4. The target is the least of the delay-based estimate, the loss limit
///    and the receiver's estimate, within the configured range.
public struct SendSideBandwidthEstimator: Sendable {
    /// The estimator's bounds and starting point.
    public struct Configuration: Sendable, Hashable {
        /// The target before any feedback (bits per second).
        public var startBitrate: Double
        /// The target never goes below this.
        public var minimumBitrate: Double
        /// The target never goes above this.
        public var maximumBitrate: Double

        /// Creates a configuration (300 kbit/s at the start, like browsers; 30 kbit/s to 2.5 Mbit/s).
        public init(startBitrate: Double = 300_000, minimumBitrate: Double = 30_000, maximumBitrate: Double = 2_500_000) {
            self.minimumBitrate = minimumBitrate
            self.maximumBitrate = max(maximumBitrate, minimumBitrate)
            self.startBitrate = min(max(startBitrate, minimumBitrate), self.maximumBitrate)
        }
    }

    /// The bounds and starting point.
    public let configuration: Configuration
    private var history = SentPacketHistory()
    private var groups = PacketGroupAccumulator()
    private var trendline = TrendlineEstimator()
    private var detector = OveruseDetector()
    private var acknowledged = AcknowledgedBitrateEstimator()
    private var rateControl: AIMDRateController
    private var loss = LossBasedController()
    private var probes = ProbeController()
    private var probeMeasure = ProbeBitrateEstimator()
    /// The size (packets and bytes) of the clusters handed out, by id, until measured (at most 8).
    private var probeSizes: [Int: (packets: Int, bytes: Int)] = [:]
    private var receiverEstimate: Double?
    /// Set from an over-use until the queue it built has drained.
    private var drainHold: (since: Duration, sawFalling: Bool)?

    /// Transport-wide feedback packets taken in.
    public private(set) var feedbackCount = 0
    /// Packets that feedback reported as never received (each counted once per report).
    public private(set) var packetsReportedLost = 0

    /// Creates an estimator.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        rateControl = AIMDRateController(
            startBitrate: configuration.startBitrate, range: configuration.minimumBitrate...configuration.maximumBitrate)
    }

    // MARK: Input

    /// Notes a packet that just left with transport-wide sequence number
    /// `sequenceNumber`, `size` bytes on the wire, as part of probe cluster
    /// `probeCluster` if it was sent for one.
    public mutating func packetSent(sequenceNumber: UInt16, size: Int, at now: Duration, probeCluster: Int? = nil) {
        history.add(.init(sequenceNumber: sequenceNumber, send: now, size: size, probeCluster: probeCluster))
    }

    /// The probe cluster to send now, if one is due (at the start, after a
    /// probe the path carried, and every few seconds otherwise). The pacer
    /// sends it, padding where media does not fill it.
    public mutating func nextProbe(at now: Duration) -> ProbeCluster? {
        // The queue is settled when the trend is well under the threshold and no drain is under way.
        let settled = drainHold == nil && detector.usage != .overusing && trendSignal < detector.threshold / 2
        guard let cluster = probes.nextCluster(
            at: now, estimate: targetBitrate, startBitrate: configuration.startBitrate, maximum: configuration.maximumBitrate,
            queueSettled: settled)
        else { return nil }
        if probeSizes.count >= 8, let oldest = probeSizes.keys.min() { probeSizes[oldest] = nil }
        probeSizes[cluster.id] = (cluster.minimumPackets, cluster.minimumBytes)
        return cluster
    }

    /// Takes in one transport-wide feedback: each reported sequence number
    /// with its arrival on the receiver's clock, or nil when it did not arrive.
    public mutating func feedbackReceived(
        _ results: some Sequence<(sequenceNumber: UInt16, arrival: Duration?)>, roundTrip: Duration, at now: Duration
    ) {
        var lost = 0
        var total = 0
        var sawOveruse = false
        var probeResults: [(cluster: Int, bitrate: Double)] = []
        for (sequenceNumber, arrival) in results {
            guard let arrival else {
                if history.pending(sequenceNumber) != nil {
                    lost += 1
                    total += 1
                }
                continue
            }
            guard let packet = history.takeReceived(sequenceNumber) else { continue }
            total += 1
            acknowledged.add(arrival: arrival, size: packet.size)
            if let id = packet.probeCluster, let size = probeSizes[id],
                let measured = probeMeasure.add(
                    cluster: id, minimumPackets: size.packets, minimumBytes: size.bytes, send: packet.send, arrival: arrival,
                    size: packet.size)
            {
                probeSizes[id] = nil
                probeResults.append((id, measured))
            }
            if let delta = groups.add(send: packet.send, arrival: arrival, size: packet.size) {
                trendSignal = trendline.add(delta)
                if detector.detect(signal: trendSignal, at: delta.arrival) == .overusing { sawOveruse = true }
            }
        }
        guard total > 0 else { return }
        // A probe that arrived faster than the target shows the path
        // delivering more than the media sends: the queue its own burst
        // built drains once it ends, so the over-use it causes, in this
        // feedback or the next within ``probeQueueTime``, is no congestion.
        if probeResults.contains(where: { $0.bitrate > rateControl.bitrate }) { probeQueueUntil = now + Self.probeQueueTime }
        if sawOveruse, let until = probeQueueUntil, now < until { sawOveruse = false }
        feedbackCount += 1
        packetsReportedLost += lost
        // A decrease goes from what the bottleneck delivers now: the recent
        // rate when it is lower than the window's (the path just narrowed).
        var delivered = acknowledged.bitrate
        if sawOveruse, let recent = acknowledged.recentBitrate { delivered = min(delivered ?? recent, recent) }
        rateControl.update(
            usage: rateControlUsage(sawOveruse: sawOveruse, at: now), acknowledged: delivered, roundTrip: roundTrip, at: now)
        loss.add(lost: lost, of: total, target: rateControl.bitrate, delivered: delivered, roundTrip: roundTrip, at: now)
        for result in probeResults {
            // A probe the path carried (most of its rate arrived) lifts the
            // estimate to what it showed, unless the queue is growing. One
            // the path spread out only says it is full: no lift. One that
            // arrived almost as fast as it left (90%) met no standing queue,
            // so it also ends a drain hold: the queue has drained.
            let fraction = probes.resultArrived(cluster: result.cluster, bitrate: result.bitrate, maximum: configuration.maximumBitrate)
            if let fraction, fraction >= ProbeController.continuationFraction, !sawOveruse, result.bitrate > rateControl.bitrate {
                if fraction >= Self.clearPassFraction { drainHold = nil }
                if drainHold == nil { rateControl.setBitrate(result.bitrate, at: now) }
            }
            lastProbeResult = result.bitrate
        }
    }

    /// The rate the latest probe cluster measured, if any.
    public private(set) var lastProbeResult: Double?

    /// What rate control is told. After an over-use the rate holds until the
    /// queue it built has drained (the trend went below zero and came back),
    /// as under-use would: rising again from a half-full queue would fill it
    /// before the next decrease. The hold ends after ``maximumDrainHold`` in any case.
    private mutating func rateControlUsage(sawOveruse: Bool, at now: Duration) -> BandwidthUsage {
        if sawOveruse {
            drainHold = (since: now, sawFalling: false)
            return .overusing
        }
        guard var hold = drainHold else { return detector.usage }
        if trendSignal < 0 { hold.sawFalling = true }
        // The smoothed delay settles onto the empty queue's from above, so the
        // signal comes back towards zero without always reaching it: within a
        // tenth of the threshold counts as back.
        if (hold.sawFalling && trendSignal >= -detector.threshold / 10) || now - hold.since >= Self.maximumDrainHold {
            drainHold = nil
            return detector.usage
        }
        drainHold = hold
        return detector.usage == .normal ? .underusing : detector.usage
    }

    /// How long an over-use after a probe that the path delivered faster
    /// than the target is put down to the probe's own burst.
    static let probeQueueTime: Duration = .milliseconds(250)
    /// Until when over-use is put down to a probe's burst.
    private var probeQueueUntil: Duration?

    /// A probe that arrived at this fraction of its rate or more met no standing queue.
    static let clearPassFraction = 0.9

    /// The longest the rate holds after an over-use while the queue drains.
    public static let maximumDrainHold: Duration = .seconds(3)

    /// Takes in a receiver report's fraction lost (0-1), for a peer that
    /// sends no transport-wide feedback.
    public mutating func lossReported(fractionLost: Double, roundTrip: Duration, at now: Duration) {
        guard feedbackCount == 0 else { return }  // feedback already counts every loss
        loss.update(lossFraction: fractionLost, target: rateControl.bitrate, roundTrip: roundTrip, at: now)
    }

    /// Takes in the receiver's own estimate (REMB), in bits per second: the
    /// target never exceeds the latest one, and without transport-wide
    /// feedback (nothing to measure the path from) it is the target.
    public mutating func receiverEstimated(bitrate: Double) {
        receiverEstimate = max(bitrate, 0)
    }

    // MARK: Output

    /// The rate to send at, in bits per second.
    public var targetBitrate: Double {
        var target = rateControl.bitrate
        if let receiverEstimate { target = feedbackCount == 0 ? receiverEstimate : min(target, receiverEstimate) }
        if let limit = loss.limit { target = min(target, limit) }
        return min(max(target, configuration.minimumBitrate), configuration.maximumBitrate)
    }

    /// The delay-based estimate alone.
    public var delayBasedBitrate: Double { rateControl.bitrate }
    /// The limit loss sets, if any.
    public var lossBasedLimit: Double? { loss.limit }
    /// The loss of the latest measure (0-1).
    public var lossFraction: Double { loss.lossFraction }
    /// What the path delivered lately, once known.
    public var acknowledgedBitrate: Double? { acknowledged.bitrate }
    /// The delay-based detector's latest conclusion.
    public var usage: BandwidthUsage { detector.usage }
    /// The delay-based detector's adaptive threshold, in milliseconds.
    public var overuseThreshold: Double { detector.threshold }
    /// The trend signal the detector last compared with its threshold, in milliseconds.
    public private(set) var trendSignal = 0.0
}
