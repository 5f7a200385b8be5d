/// The last `capacity` RTP packets sent on one stream, by sequence number, so
/// that a NACK can be answered with the very same packet.
///
/// Each slot keeps its own buffer and a stored packet is copied into it in
/// place, so once every slot has held a packet of full size, storing
/// allocates nothing.
struct RetransmissionHistory {
    private var sequenceNumbers: [UInt16]
    private var filled: [Bool]
    private var packets: [[UInt8]]
    /// When each kept packet was last sent again.
    private var resentAt: [ContinuousClock.Instant?]

    init(capacity: Int, packetCapacity: Int) {
        sequenceNumbers = Array(repeating: 0, count: capacity)
        filled = Array(repeating: false, count: capacity)
        resentAt = Array(repeating: nil, count: capacity)
        packets = (0..<capacity).map { _ in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(packetCapacity)
            return buffer
        }
    }

    /// Keeps a copy of an unprotected packet, replacing the oldest.
    mutating func store(_ packet: [UInt8], sequenceNumber: UInt16) {
        let index = Int(sequenceNumber) % packets.count
        sequenceNumbers[index] = sequenceNumber
        filled[index] = true
        resentAt[index] = nil
        packets[index].removeAll(keepingCapacity: true)
        packets[index].append(contentsOf: packet)
    }

    /// The packet with this sequence number, if it is still kept.
    func packet(sequenceNumber: UInt16) -> [UInt8]? {
        let index = Int(sequenceNumber) % packets.count
        guard filled[index], sequenceNumbers[index] == sequenceNumber else { return nil }
        return packets[index]
    }

    /// The kept packet to send again at `now`, unless it was sent again less
    /// than `interval` ago (a NACK repeated within one round trip asks for a
    /// copy that is still on its way) or is larger than `budget` bytes.
    /// Marks it sent.
    mutating func packetToResend(sequenceNumber: UInt16, at now: ContinuousClock.Instant, interval: Duration, budget: Int) -> [UInt8]? {
        let index = Int(sequenceNumber) % packets.count
        guard filled[index], sequenceNumbers[index] == sequenceNumber, packets[index].count <= budget else { return nil }
        if let last = resentAt[index], now - last < interval { return nil }
        resentAt[index] = now
        return packets[index]
    }
}
