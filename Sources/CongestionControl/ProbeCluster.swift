/// A short burst of packets sent at a chosen rate to learn whether the path
/// carries it: the pacer sends at least ``minimumPackets`` packets and
/// ``minimumBytes`` bytes at ``bitrate``, padding where media does not
/// fill it, and notes each with the cluster's ``id``.
public struct ProbeCluster: Sendable, Hashable {
    /// The cluster's number, given to ``SendSideBandwidthEstimator/packetSent(sequenceNumber:size:at:probeCluster:)``.
    public var id: Int
    /// The rate to send the cluster at, in bits per second.
    public var bitrate: Double
    /// The fewest bytes the cluster holds.
    public var minimumBytes: Int
    /// The fewest packets the cluster holds.
    public var minimumPackets: Int

    /// How long a cluster lasts at its rate, at least.
    public static let minimumDuration: Duration = .milliseconds(15)
    /// The fewest packets in a cluster.
    public static let minimumPacketCount = 5

    /// A cluster at `bitrate`, long enough to measure.
    init(id: Int, bitrate: Double) {
        self.id = id
        self.bitrate = bitrate
        minimumBytes = Int(bitrate * Self.minimumDuration.seconds / 8)
        minimumPackets = Self.minimumPacketCount
    }
}
