/// The last `capacity` RTP packets sent, by sequence number, so that a NACK
/// can be answered with the very same packet (no RTX stream).
struct RetransmissionHistory {
    private var slots: [(sequenceNumber: UInt16, packet: [UInt8])?]

    init(capacity: Int) {
        slots = Array(repeating: nil, count: capacity)
    }

    /// Keeps a copy of an unprotected packet, replacing the oldest.
    mutating func store(_ packet: [UInt8], sequenceNumber: UInt16) {
        slots[Int(sequenceNumber) % slots.count] = (sequenceNumber, packet)
    }

    /// The packet with this sequence number, if it is still kept.
    func packet(sequenceNumber: UInt16) -> [UInt8]? {
        guard let slot = slots[Int(sequenceNumber) % slots.count], slot.sequenceNumber == sequenceNumber else { return nil }
        return slot.packet
    }
}
