/// Groups packets into the bursts a sender emits together and measures,
/// between consecutive groups, how much more time the path took to deliver
/// them than the sender took to send them (GCC's inter-arrival, draft-ietf-rmcat-gcc-02 5.2).
///
/// Packets come in send order with their send and arrival times (from
/// transport-wide feedback). A group is every packet sent within
/// ``burstSpan`` of its first one; its times are those of its last packet.
/// Sans-IO, no allocation.
public struct PacketGroupAccumulator: Sendable {
    /// The delay of one group relative to the group before it.
    public struct GroupDelta: Sendable, Hashable {
        /// Time between the two groups' last packets leaving the sender.
        public var sendDelta: Duration
        /// Time between the two groups' last packets arriving.
        public var arrivalDelta: Duration
        /// When the later group's last packet arrived.
        public var arrival: Duration
        /// Bytes in the later group.
        public var size: Int
    }

    /// Packets sent within this span of a group's first packet belong to it (5 ms).
    public static let burstSpan: Duration = .milliseconds(5)

    private struct Group {
        var firstSend: Duration
        var lastSend: Duration
        var lastArrival: Duration
        var size: Int
    }

    private var current: Group?
    private var previous: Group?

    /// Creates an empty accumulator.
    public init() {}

    /// Adds one packet (in send order): sent at `send` on the sender's clock,
    /// arrived at `arrival` on the receiver's, of `size` bytes.
    ///
    /// - Returns: The delta between the two groups before this packet, when
    ///   this packet starts a new group and two complete groups exist.
    public mutating func add(send: Duration, arrival: Duration, size: Int) -> GroupDelta? {
        guard var group = current else {
            current = Group(firstSend: send, lastSend: send, lastArrival: arrival, size: size)
            return nil
        }
        if send < group.firstSend {
            // Reordered before the group started: it belongs to an older group; ignore it.
            return nil
        }
        if send - group.firstSend <= Self.burstSpan {
            group.lastSend = max(group.lastSend, send)
            group.lastArrival = max(group.lastArrival, arrival)
            group.size += size
            current = group
            return nil
        }
        // This packet starts a new group: the current one is complete.
        var delta: GroupDelta?
        if let previous {
            delta = GroupDelta(
                sendDelta: group.lastSend - previous.lastSend, arrivalDelta: group.lastArrival - previous.lastArrival,
                arrival: group.lastArrival, size: group.size)
        }
        previous = group
        current = Group(firstSend: send, lastSend: send, lastArrival: arrival, size: size)
        return delta
    }
}
