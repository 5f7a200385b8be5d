/// Decides when each packet leaves, so that a frame goes out in small
/// bursts at a multiple of the estimate instead of all at once, and sends
/// the probe clusters the estimator asks for.
///
/// Packets wait in one bounded queue per ``Priority``: audio leaves at once
/// (it is small and late audio is heard), retransmissions before new video.
/// The rate is ``PacingBudget/pacingFactor`` times the target bitrate, raised
/// when the oldest packet would otherwise wait longer than
/// ``Configuration/maximumQueueTime``. During a probe cluster packets leave
/// at the cluster's rate instead (outside the budget), and where no media
/// waits the pacer asks for padding.
///
/// Sans-IO and generic over what a packet is: the driver enqueues packets
/// with their size, calls ``next(at:)`` until it returns nil, and wakes
/// again at ``nextWake``.
public struct Pacer<Packet> {
    /// The order packets leave in.
    public enum Priority: Int, CaseIterable, Sendable {
        /// Audio: never held back by the budget.
        case audio
        /// Retransmissions of lost packets.
        case retransmission
        /// New video.
        case video
    }

    /// What the driver sends next.
    public enum Release {
        /// A queued packet, sent as part of probe cluster `probeCluster` if not nil.
        case packet(Packet, probeCluster: Int?)
        /// A padding packet of about `size` bytes for probe cluster `probeCluster`.
        case padding(size: Int, probeCluster: Int)
    }

    /// The pacer's limits.
    public struct Configuration: Sendable, Hashable {
        /// The most packets waiting in each priority's queue; one more is refused.
        public var capacity: Int
        /// The longest the queue may take to drain: above it the rate rises.
        public var maximumQueueTime: Duration
        /// The size of one padding packet a probe asks for.
        public var paddingSize: Int

        /// Creates a configuration; by default 2,048 packets per queue, 2 s and 240-byte padding.
        public init(capacity: Int = 2_048, maximumQueueTime: Duration = .seconds(2), paddingSize: Int = 240) {
            self.capacity = capacity
            self.maximumQueueTime = maximumQueueTime
            self.paddingSize = paddingSize
        }
    }

    private struct ActiveProbe {
        var cluster: ProbeCluster
        var packets = 0
        var bytes = 0
        var nextSend: Duration
    }

    public let configuration: Configuration
    private var queues: [PacketRing<(packet: Packet, size: Int, enqueued: Duration)>]
    private var budget: PacingBudget
    private var targetBitrate: Double
    private var probe: ActiveProbe?
    private var lastRefill: Duration?
    /// Bytes waiting in every queue.
    public private(set) var queuedBytes = 0
    /// Packets refused because their queue was full.
    public private(set) var packetsRefused = 0
    /// Padding packets asked for by probes.
    public private(set) var paddingPackets = 0

    /// A pacer for a target bitrate of `targetBitrate` bits per second.
    public init(targetBitrate: Double, configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.targetBitrate = targetBitrate
        budget = PacingBudget(rate: targetBitrate * PacingBudget.pacingFactor)
        queues = Priority.allCases.map { _ in PacketRing(capacity: configuration.capacity) }
    }

    /// Packets waiting in every queue (counted as they come and go: summing the
    /// queues in this generic code allocated on every `nextWake`).
    public private(set) var queuedPackets = 0

    /// Whether a probe cluster is being sent.
    public var isProbing: Bool { probe != nil }

    /// Follows the estimate: the pacing rate becomes `bitrate` × the pacing factor.
    public mutating func setTargetBitrate(_ bitrate: Double) {
        targetBitrate = max(bitrate, 0)
    }

    /// The rate packets leave at, in bits per second: the pacing rate, or
    /// faster when what waits would otherwise leave its oldest packet in the
    /// queue for longer than the maximum queue time.
    public func pacingRate(at now: Duration) -> Double {
        let paced = targetBitrate * PacingBudget.pacingFactor
        guard queuedBytes > 0 else { return paced }
        // A loop, not compactMap: this runs for every packet that leaves.
        var oldest = now
        for queue in queues { if let first = queue.first?.enqueued, first < oldest { oldest = first } }
        let remaining = max(configuration.maximumQueueTime - (now - oldest), PacingBudget.interval)
        return max(paced, Double(queuedBytes * 8) / remaining.seconds)
    }

    /// Queues a packet of `size` bytes at `now`; returns false (and drops it) when its queue is full.
    public mutating func enqueue(_ packet: Packet, size: Int, priority: Priority, at now: Duration) -> Bool {
        guard queues[priority.rawValue].push((packet, size, now)) else {
            packetsRefused += 1
            return false
        }
        queuedBytes += size
        queuedPackets += 1
        return true
    }

    /// Starts sending `cluster` now; a cluster already under way is replaced.
    public mutating func startProbe(_ cluster: ProbeCluster, at now: Duration) {
        probe = ActiveProbe(cluster: cluster, nextSend: now)
    }

    /// Gives up the probe under way (the driver has nothing to pad with).
    public mutating func cancelProbe() {
        probe = nil
    }

    /// The next packet to send at `now`, or nil when nothing may leave yet.
    public mutating func next(at now: Duration) -> Release? {
        if let audio = pop(.audio) {
            budget.spend(audio.size)
            return .packet(audio.packet, probeCluster: nil)
        }
        if var active = probe {
            guard now >= active.nextSend else { return nil }
            let release: Release
            let size: Int
            if let queued = pop(.retransmission) ?? pop(.video) {
                release = .packet(queued.packet, probeCluster: active.cluster.id)
                size = queued.size
            } else {
                size = configuration.paddingSize
                paddingPackets += 1
                release = .padding(size: size, probeCluster: active.cluster.id)
            }
            active.packets += 1
            active.bytes += size
            active.nextSend = max(active.nextSend, now - PacingBudget.interval)
                + .seconds(Double(size * 8) / active.cluster.bitrate)
            probe = active.packets >= active.cluster.minimumPackets && active.bytes >= active.cluster.minimumBytes ? nil : active
            return release
        }
        refill(at: now)
        guard budget.mayAdvance, let queued = pop(.retransmission) ?? pop(.video) else { return nil }
        budget.spend(queued.size)
        return .packet(queued.packet, probeCluster: nil)
    }

    /// When ``next(at:)`` may next return something: nil when nothing waits.
    public var nextWake: Duration? {
        if !queues[Priority.audio.rawValue].isEmpty { return lastRefill ?? .zero }
        if let probe { return probe.nextSend }
        guard queuedPackets > 0 else { return nil }
        // Every interval while packets wait (a burst each time), or later
        // when a large debt needs longer to pay off.
        guard let last = lastRefill else { return .zero }
        let payoff = Duration.seconds(max(-budget.level, 0) * 8 / max(budget.rate, 1))
        return last + max(PacingBudget.interval, payoff)
    }

    private mutating func refill(at now: Duration) {
        budget.rate = pacingRate(at: now)
        budget.refill(at: now)
        lastRefill = now
    }

    private mutating func pop(_ priority: Priority) -> (packet: Packet, size: Int, enqueued: Duration)? {
        guard let element = queues[priority.rawValue].pop() else { return nil }
        queuedBytes -= element.size
        queuedPackets -= 1
        return element
    }
}

extension Pacer: Sendable where Packet: Sendable {}
