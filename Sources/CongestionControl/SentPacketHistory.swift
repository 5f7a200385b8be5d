/// The sender's record of the packets it numbered with a transport-wide
/// sequence number: when each left and how large it was, until feedback
/// reports on it.
///
/// A fixed ring of ``capacity`` slots indexed by sequence number, so noting
/// a sent packet never allocates. A slot remembers its own sequence number:
/// feedback about a packet whose slot was reused since (over ``capacity``
/// packets ago) finds nothing.
public struct SentPacketHistory: Sendable {
    /// A packet as it was sent.
    public struct Packet: Sendable, Hashable {
        /// Its transport-wide sequence number.
        public var sequenceNumber: UInt16
        /// When it left, on the sender's clock.
        public var send: Duration
        /// Its size in bytes, as sent (headers and SRTP tag included).
        public var size: Int
        /// The probe cluster it belongs to, if it was sent as part of one.
        public var probeCluster: Int?
    }

    /// How many packets are remembered.
    public static let capacity = 1 << 13

    private struct Slot {
        var packet: Packet
        var received = false
        var used = false
    }

    private var slots: [Slot]

    /// Creates an empty history.
    public init() {
        slots = Array(
            repeating: Slot(packet: Packet(sequenceNumber: 0, send: .zero, size: 0, probeCluster: nil)), count: Self.capacity)
    }

    /// Notes a packet that just left.
    public mutating func add(_ packet: Packet) {
        slots[Self.slot(packet.sequenceNumber)] = Slot(packet: packet, used: true)
    }

    /// The packet with `sequenceNumber` the first time feedback says it
    /// arrived; nil when it is unknown or its arrival was already reported.
    public mutating func takeReceived(_ sequenceNumber: UInt16) -> Packet? {
        guard let packet = pending(sequenceNumber) else { return nil }
        slots[Self.slot(sequenceNumber)].received = true
        return packet
    }

    /// The packet with `sequenceNumber`, when it is known and not yet reported received.
    public func pending(_ sequenceNumber: UInt16) -> Packet? {
        let slot = slots[Self.slot(sequenceNumber)]
        guard slot.used, slot.packet.sequenceNumber == sequenceNumber, !slot.received else { return nil }
        return slot.packet
    }

    private static func slot(_ sequenceNumber: UInt16) -> Int { Int(sequenceNumber) & (capacity - 1) }
}
