/// An RTCP generic negative acknowledgement: transport-layer feedback
/// (PT 205) with FMT 1 (RFC 4585 section 6.2.1).
public struct RTCPGenericNACK: Sendable, Hashable {
    /// The FMT value of generic NACK.
    public static let format: UInt8 = 1

    /// One FCI entry: a lost packet (PID) and a bitmask of the 16 packets after it (BLP).
    public struct Entry: Sendable, Hashable {
        /// The sequence number of a lost packet.
        public var packetID: UInt16
        /// Bit i set means `packetID + i + 1` is lost too.
        public var lostBitmask: UInt16

        /// Creates an entry.
        public init(packetID: UInt16, lostBitmask: UInt16 = 0) {
            self.packetID = packetID
            self.lostBitmask = lostBitmask
        }

        /// The sequence numbers this entry reports lost, in increasing order (wrapping).
        public var lostSequenceNumbers: [UInt16] {
            var result = [packetID]
            for bit in 0..<16 where lostBitmask & (1 << bit) != 0 {
                result.append(packetID &+ UInt16(bit + 1))
            }
            return result
        }
    }

    /// The SSRC of the packet's sender.
    public var senderSSRC: UInt32
    /// The SSRC of the media source whose packets are lost.
    public var mediaSSRC: UInt32
    /// The FCI entries; at least one.
    public var entries: [Entry]

    /// Creates a NACK from its entries.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// Creates a NACK reporting `lostSequenceNumbers` (see ``entries(forLost:)``).
    public init(senderSSRC: UInt32, mediaSSRC: UInt32, lostSequenceNumbers: some Sequence<UInt16>) {
        self.init(senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, entries: Self.entries(forLost: lostSequenceNumbers))
    }

    /// The fewest entries that report exactly the given lost sequence numbers.
    ///
    /// The numbers may come in any order and may repeat; they are placed on
    /// the wrapping 16-bit circle relative to each other (a span of up to
    /// 32767 is ordered correctly across a wrap-around), sorted, and packed
    /// greedily: each entry takes the first remaining number as PID and the
    /// numbers within the following 16 as BLP bits.
    public static func entries(forLost lostSequenceNumbers: some Sequence<UInt16>) -> [Entry] {
        var unwrapper = SequenceNumberUnwrapper()
        var extended = lostSequenceNumbers.map { unwrapper.unwrap($0) }
        extended.sort()
        var entries: [Entry] = []
        var current: (base: Int64, entry: Entry)?
        for value in extended {
            if var open = current {
                let distance = value - open.base
                if distance == 0 { continue }
                if distance <= 16 {
                    open.entry.lostBitmask |= 1 << UInt16(distance - 1)
                    current = open
                    continue
                }
                entries.append(open.entry)
            }
            current = (value, Entry(packetID: UInt16(truncatingIfNeeded: value)))
        }
        if let open = current {
            entries.append(open.entry)
        }
        return entries
    }

    /// The sequence numbers the entries report lost, entry by entry, without repeats.
    public var lostSequenceNumbers: [UInt16] {
        var seen = Set<UInt16>()
        var result: [UInt16] = []
        for entry in entries {
            for value in entry.lostSequenceNumbers where seen.insert(value).inserted {
                result.append(value)
            }
        }
        return result
    }

    /// Parses a buffer that holds exactly one generic NACK.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPGenericNACK in
            let frame = try RTCPFrame.readSingle(buffer, expecting: .transportFeedback)
            guard frame.count == Self.format else {
                throw RTPError(.malformedPacket, "transport feedback FMT \(frame.count) is not generic NACK")
            }
            return try RTCPGenericNACK(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let body = frame.body
        guard body.count >= 12, body.count % 4 == 0 else {
            throw RTPError(.invalidLength, "generic NACK needs 8 bytes plus whole 4-byte entries, has \(body.count) body bytes")
        }
        senderSSRC = buffer.readUInt32(at: body.lowerBound)
        mediaSSRC = buffer.readUInt32(at: body.lowerBound + 4)
        var entries: [Entry] = []
        entries.reserveCapacity((body.count - 8) / 4)
        var offset = body.lowerBound + 8
        while offset < body.upperBound {
            entries.append(Entry(packetID: buffer.readUInt16(at: offset), lostBitmask: buffer.readUInt16(at: offset + 2)))
            offset += 4
        }
        self.entries = entries
    }

    /// The size on the wire.
    public var serializedSize: Int { 12 + 4 * entries.count }

    /// Appends the packet to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        RTCPFrame.writeHeader(
            into: &buffer, count: Self.format, packetType: RTCPPacketType.transportFeedback.rawValue,
            bodyLength: serializedSize - 4)
        buffer.appendBigEndian(senderSSRC)
        buffer.appendBigEndian(mediaSSRC)
        for entry in entries {
            buffer.appendBigEndian(entry.packetID)
            buffer.appendBigEndian(entry.lostBitmask)
        }
    }

    /// The packet as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }
}
