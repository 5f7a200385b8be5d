/// A compound RTCP packet (RFC 3550 section 6.1): RTCP packets stacked in one
/// datagram. A reduced-size packet (RFC 5506: one packet, not necessarily a
/// report) is the same thing with one element.
///
/// Parsing checks every packet's version, length field and padding, and that
/// the lengths add up to the datagram; it does not insist that a report comes
/// first, so reduced-size RTCP parses too (see ``isReducedSize``).
public struct RTCPCompoundPacket: Sendable, Hashable {
    /// The packets in wire order.
    public var packets: [RTCPPacket]

    /// Creates a compound packet.
    public init(_ packets: [RTCPPacket]) {
        self.packets = packets
    }

    /// Parses a datagram of one or more RTCP packets.
    ///
    /// - Throws: ``RTPError/Code/truncated`` when the datagram is empty or a packet's
    ///   header or length field runs past its end; ``RTPError/Code/unsupportedVersion``,
    ///   ``RTPError/Code/invalidPadding``, ``RTPError/Code/invalidLength`` or
    ///   ``RTPError/Code/malformedPacket`` for a malformed packet.
    @inlinable
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPCompoundPacket in
            try RTCPCompoundPacket(parsing: buffer)
        }
    }

    /// Parses a datagram of one or more RTCP packets in raw memory.
    public init(parsing buffer: UnsafeRawBufferPointer) throws(RTPError) {
        guard buffer.count > 0 else {
            throw RTPError(.truncated, "an RTCP datagram needs at least one packet")
        }
        var packets: [RTCPPacket] = []
        var offset = 0
        while offset < buffer.count {
            let frame = try RTCPFrame.read(buffer, at: offset)
            packets.append(try RTCPPacket(frame: frame, buffer: buffer))
            offset = frame.end
        }
        self.packets = packets
    }

    /// Whether this is a reduced-size packet (RFC 5506): it does not start with an SR or RR.
    public var isReducedSize: Bool {
        guard let first = packets.first else { return true }
        switch first {
        case .senderReport, .receiverReport: return false
        default: return true
        }
    }

    /// The size on the wire.
    public var serializedSize: Int {
        packets.reduce(0) { $0 + $1.serializedSize }
    }

    /// Appends every packet to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        for packet in packets {
            packet.serialize(into: &buffer)
        }
    }

    /// The datagram as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }
}
