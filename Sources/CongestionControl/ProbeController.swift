/// Decides when to probe the path and at what rate.
///
/// - At the start: two clusters, at 3 and 6 times the start bitrate, so a
///   call reaches a wide path's rate in well under a second instead of
///   climbing to it at 8% a second.
/// - After a probe that the path carried (at least 70% of its rate): the
///   next at twice what it measured, until the maximum.
/// - Every ``periodicInterval`` otherwise: one at 1.5 times the estimate, so
///   capacity that appears later is found within seconds; not while the
///   queue is filling or draining.
struct ProbeController: Sendable {
    /// How often to probe when nothing else asked for it.
    static let periodicInterval: Duration = .milliseconds(2_500)
    /// A periodic probe's rate as a multiple of the estimate: high enough to
    /// show new capacity, low enough that on a full path its burst builds
    /// little queue.
    static let periodicFactor = 1.5
    /// A probe result at least this fraction of its rate asks for a higher probe.
    static let continuationFraction = 0.7

    private var started = false
    private var nextID = 1
    private var pending: [ProbeCluster] = []
    private var lastProbe: Duration?
    /// The clusters sent whose results are awaited: their rate and when they went.
    private var awaited: [Int: (bitrate: Double, sent: Duration)] = [:]
    /// A cluster whose result has not come within this is given up (its packets were lost).
    static let resultTimeout: Duration = .seconds(1)

    /// The next cluster to send, if one is due; `estimate` is the current
    /// target. A periodic probe waits while `queueSettled` is false (the
    /// queue is filling or draining): it would only add to the delay.
    mutating func nextCluster(
        at now: Duration, estimate: Double, startBitrate: Double, maximum: Double, queueSettled: Bool = true
    ) -> ProbeCluster? {
        // Called at every pacer wake: rebuilt only when a result is overdue.
        if awaited.values.contains(where: { now - $0.sent >= Self.resultTimeout }) {
            awaited = awaited.filter { now - $0.value.sent < Self.resultTimeout }
        }
        if !started {
            started = true
            for factor in [3.0, 6.0] { schedule(min(startBitrate * factor, maximum)) }
        } else if pending.isEmpty, awaited.isEmpty, estimate < maximum, queueSettled,
            lastProbe.map({ now - $0 >= Self.periodicInterval }) ?? true
        {
            schedule(min(estimate * Self.periodicFactor, maximum))
        }
        guard !pending.isEmpty else { return nil }
        let cluster = pending.removeFirst()
        awaited[cluster.id] = (cluster.bitrate, now)
        lastProbe = now
        return cluster
    }

    /// The rate cluster `id` measured; returns the fraction of the probe's
    /// rate that arrived (nil for a cluster not awaited) and, when the path
    /// carried the probe (at least 70% of its rate), schedules the next, higher one.
    mutating func resultArrived(cluster id: Int, bitrate: Double, maximum: Double) -> Double? {
        guard let probed = awaited.removeValue(forKey: id)?.bitrate, probed > 0 else { return nil }
        let fraction = bitrate / probed
        if fraction >= Self.continuationFraction, bitrate < maximum, pending.isEmpty { schedule(min(bitrate * 2, maximum)) }
        return fraction
    }

    private mutating func schedule(_ bitrate: Double) {
        pending.append(ProbeCluster(id: nextID, bitrate: bitrate))
        nextID += 1
    }
}
