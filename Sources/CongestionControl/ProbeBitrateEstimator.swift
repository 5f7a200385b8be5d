/// Measures what a probe cluster showed: the rate it left at and the rate
/// it arrived at, from the feedback about its packets.
///
/// A path that carries the cluster's rate delivers it as fast as it was
/// sent; a narrower one spreads it out to its own capacity. The measure is
/// the lower of the two rates, and when the packets arrived clearly slower
/// than they were sent (below 90%), a little under the arrival rate, since
/// the path was then full.
struct ProbeBitrateEstimator: Sendable {
    /// What is known of one cluster so far.
    private struct Cluster {
        var id: Int
        var packetsReceived = 0
        var firstSend = Duration.zero
        var lastSend = Duration.zero
        var lastSendSize = 0
        var firstArrival = Duration.zero
        var lastArrival = Duration.zero
        var firstArrivalSize = 0
        var bytes = 0
        var minimumPackets: Int
        var minimumBytes: Int
        var done = false
    }

    /// The clusters measured at once (older ones are forgotten).
    static let capacity = 8
    private var clusters: [Cluster] = []

    /// Adds one reported packet of cluster `id` (which holds at least
    /// `minimumPackets` packets and `minimumBytes` bytes); returns the
    /// cluster's measured rate once enough of it has arrived (once per cluster).
    mutating func add(
        cluster id: Int, minimumPackets: Int, minimumBytes: Int, send: Duration, arrival: Duration, size: Int
    ) -> Double? {
        var index = clusters.firstIndex { $0.id == id }
        if index == nil {
            if clusters.count == Self.capacity { clusters.removeFirst() }
            clusters.append(Cluster(
                id: id, firstSend: send, lastSend: send, lastSendSize: size, firstArrival: arrival, lastArrival: arrival,
                firstArrivalSize: size, minimumPackets: minimumPackets, minimumBytes: minimumBytes))
            index = clusters.count - 1
        }
        guard let index, !clusters[index].done else { return nil }
        var cluster = clusters[index]
        cluster.packetsReceived += 1
        cluster.bytes += size
        if send < cluster.firstSend { cluster.firstSend = send }
        if send >= cluster.lastSend {
            cluster.lastSend = send
            cluster.lastSendSize = size
        }
        if arrival < cluster.firstArrival {
            cluster.firstArrival = arrival
            cluster.firstArrivalSize = size
        }
        cluster.lastArrival = max(cluster.lastArrival, arrival)
        defer { clusters[index] = cluster }
        // Most of the cluster must have arrived (80% of its packets and of
        // its bytes) for a measure: a few small padding packets span too
        // short a time to say anything.
        guard cluster.packetsReceived * 5 >= cluster.minimumPackets * 4, cluster.bytes * 5 >= cluster.minimumBytes * 4
        else { return nil }
        let sendSpan = cluster.lastSend - cluster.firstSend
        let arrivalSpan = cluster.lastArrival - cluster.firstArrival
        guard sendSpan > .milliseconds(1), arrivalSpan > .milliseconds(1) else { return nil }
        cluster.done = true
        // The last packet sent ends the send span, the first to arrive starts
        // the arrival span: neither counts in its own rate.
        let sendRate = Double((cluster.bytes - cluster.lastSendSize) * 8) / sendSpan.seconds
        let arrivalRate = Double((cluster.bytes - cluster.firstArrivalSize) * 8) / arrivalSpan.seconds
        if arrivalRate < 0.9 * sendRate { return 0.95 * arrivalRate }
        return min(sendRate, arrivalRate)
    }
}
