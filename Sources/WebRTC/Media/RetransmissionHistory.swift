/// The RTP packets sent on one stream in the last max(1 s, 3 × RTT), by
/// sequence number, so that a NACK can be answered with the very same packet.
///
/// A ring of slots, each with its own buffer that a stored packet is copied
/// into in place, so once every slot has held a packet of full size,
/// storing allocates nothing. The ring starts at `initialCapacity` slots and
/// doubles (up to `maxCapacity`) when the packet it would overwrite is still
/// young enough to be asked for: a stream at a high packet rate keeps a full
/// second too. A packet older than the keep time is never sent again.
struct RetransmissionHistory {
    private struct Slot {
        var sequenceNumber: UInt16 = 0
        var isFilled = false
        var sentAt: ContinuousClock.Instant?
        /// When the packet was last sent again.
        var resentAt: ContinuousClock.Instant?
        var packet: [UInt8] = []
    }

    private var slots: [Slot]
    private let packetCapacity: Int
    let maxCapacity: Int

    /// How long packets are kept: max(1 s, 3 × the round trip).
    static func keepTime(roundTrip: Duration) -> Duration {
        max(.seconds(1), roundTrip * 3)
    }

    init(initialCapacity: Int = 512, maxCapacity: Int = 8192, packetCapacity: Int) {
        self.packetCapacity = packetCapacity
        self.maxCapacity = max(maxCapacity, initialCapacity)
        slots = []
        slots.reserveCapacity(initialCapacity)
        for _ in 0..<max(initialCapacity, 1) { slots.append(Self.emptySlot(packetCapacity)) }
    }

    private static func emptySlot(_ packetCapacity: Int) -> Slot {
        var slot = Slot()
        slot.packet.reserveCapacity(packetCapacity)
        return slot
    }

    /// How many packets the ring holds now.
    var capacity: Int { slots.count }

    /// Keeps a copy of an unprotected packet sent at `now`, replacing the
    /// oldest; the ring grows first if that one is younger than the keep time.
    mutating func store(_ packet: [UInt8], sequenceNumber: UInt16, at now: ContinuousClock.Instant, roundTrip: Duration) {
        let index = Int(sequenceNumber) % slots.count
        if slots[index].isFilled, let sent = slots[index].sentAt, now - sent < Self.keepTime(roundTrip: roundTrip),
            slots.count * 2 <= maxCapacity
        {
            grow()
        }
        let target = Int(sequenceNumber) % slots.count
        slots[target].sequenceNumber = sequenceNumber
        slots[target].isFilled = true
        slots[target].sentAt = now
        slots[target].resentAt = nil
        slots[target].packet.removeAll(keepingCapacity: true)
        slots[target].packet.append(contentsOf: packet)
    }

    /// Doubles the ring, moving each kept packet to its slot in the new one.
    private mutating func grow() {
        let old = slots
        slots = []
        slots.reserveCapacity(old.count * 2)
        for _ in 0..<(old.count * 2) { slots.append(Slot()) }
        for slot in old where slot.isFilled {
            slots[Int(slot.sequenceNumber) % slots.count] = slot
        }
        for index in slots.indices where !slots[index].isFilled {
            slots[index].packet.reserveCapacity(packetCapacity)
        }
    }

    /// The packet with this sequence number, if it is still kept.
    func packet(sequenceNumber: UInt16) -> [UInt8]? {
        let slot = slots[Int(sequenceNumber) % slots.count]
        guard slot.isFilled, slot.sequenceNumber == sequenceNumber else { return nil }
        return slot.packet
    }

    /// The kept packet to send again at `now`, unless it is older than the
    /// keep time, was sent again less than `interval` ago (a NACK repeated
    /// within one round trip asks for a copy that is still on its way), or is
    /// larger than `budget` bytes. Marks it sent.
    mutating func packetToResend(
        sequenceNumber: UInt16, at now: ContinuousClock.Instant, interval: Duration, roundTrip: Duration, budget: Int
    ) -> (packet: [UInt8], resentBefore: Bool)? {
        let index = Int(sequenceNumber) % slots.count
        guard slots[index].isFilled, slots[index].sequenceNumber == sequenceNumber, slots[index].packet.count <= budget
        else { return nil }
        if let sent = slots[index].sentAt, now - sent > Self.keepTime(roundTrip: roundTrip) { return nil }
        if let last = slots[index].resentAt, now - last < interval { return nil }
        let resentBefore = slots[index].resentAt != nil
        slots[index].resentAt = now
        return (slots[index].packet, resentBefore)
    }
}
