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

    init(capacity: Int, packetCapacity: Int) {
        sequenceNumbers = Array(repeating: 0, count: capacity)
        filled = Array(repeating: false, count: capacity)
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
        packets[index].removeAll(keepingCapacity: true)
        packets[index].append(contentsOf: packet)
    }

    /// The packet with this sequence number, if it is still kept.
    func packet(sequenceNumber: UInt16) -> [UInt8]? {
        let index = Int(sequenceNumber) % packets.count
        guard filled[index], sequenceNumbers[index] == sequenceNumber else { return nil }
        return packets[index]
    }
}
