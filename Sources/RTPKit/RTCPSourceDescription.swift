/// An RTCP source description, SDES, PT 202 (RFC 3550 section 6.5).
public struct RTCPSourceDescription: Sendable, Hashable {
    /// An SDES item type.
    public struct ItemType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The wire value (1-255; 0 ends an item list and is never an item).
        public var rawValue: UInt8
        /// Creates a type from its wire value.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// The wire value in decimal.
        public var description: String { String(rawValue) }

        /// Canonical end-point identifier.
        public static let cname = ItemType(rawValue: 1)
        /// User name.
        public static let name = ItemType(rawValue: 2)
        /// Electronic mail address.
        public static let email = ItemType(rawValue: 3)
        /// Phone number.
        public static let phone = ItemType(rawValue: 4)
        /// Geographic user location.
        public static let location = ItemType(rawValue: 5)
        /// Application or tool name.
        public static let tool = ItemType(rawValue: 6)
        /// Notice or status.
        public static let note = ItemType(rawValue: 7)
        /// Private extension (its value starts with a prefix length and prefix).
        public static let `private` = ItemType(rawValue: 8)
    }

    /// One SDES item: a type and up to 255 bytes of value (UTF-8 text for the standard types).
    public struct Item: Sendable, Hashable {
        /// The item type; never 0.
        public var type: ItemType
        /// The value bytes; at most 255.
        public var value: [UInt8]

        /// Creates an item from raw value bytes.
        public init(type: ItemType, value: [UInt8]) {
            self.type = type
            self.value = value
        }

        /// Creates an item from text (stored as UTF-8).
        public init(type: ItemType, text: String) {
            self.init(type: type, value: Array(text.utf8))
        }

        /// The value decoded as UTF-8 (invalid sequences replaced).
        public var text: String { String(decoding: value, as: UTF8.self) }
    }

    /// One chunk: a source and its items.
    public struct Chunk: Sendable, Hashable {
        /// The source the items describe.
        public var ssrc: UInt32
        /// The items.
        public var items: [Item]

        /// Creates a chunk.
        public init(ssrc: UInt32, items: [Item]) {
            self.ssrc = ssrc
            self.items = items
        }

        /// Creates a chunk with one CNAME item.
        public init(ssrc: UInt32, cname: String) {
            self.init(ssrc: ssrc, items: [Item(type: .cname, text: cname)])
        }

        /// The text of the first CNAME item, or nil.
        public var cname: String? {
            items.first(where: { $0.type == .cname })?.text
        }

        /// The chunk's size on the wire: SSRC, items, and 1-4 null bytes up to a 32-bit boundary.
        var serializedSize: Int {
            paddedTo4(4 + items.reduce(0) { $0 + 2 + $1.value.count } + 1)
        }
    }

    /// The chunks; at most 31.
    public var chunks: [Chunk]

    /// Creates a source description.
    public init(chunks: [Chunk]) {
        self.chunks = chunks
    }

    /// Parses a buffer that holds exactly one SDES packet.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPSourceDescription in
            let frame = try RTCPFrame.readSingle(buffer, expecting: .sourceDescription)
            return try RTCPSourceDescription(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let body = frame.body
        var offset = body.lowerBound
        var chunks: [Chunk] = []
        chunks.reserveCapacity(Int(frame.count))
        for _ in 0..<frame.count {
            guard offset + 4 <= body.upperBound else {
                throw RTPError(.invalidLength, "SDES says \(frame.count) chunks but ends after \(chunks.count)")
            }
            let ssrc = buffer.readUInt32(at: offset)
            offset += 4
            var items: [Item] = []
            while true {
                guard offset < body.upperBound else {
                    throw RTPError(.malformedPacket, "SDES chunk for \(ssrc) has no terminating null item")
                }
                let type = buffer[offset]
                if type == 0 {
                    // The null item, then nulls up to the next 32-bit boundary.
                    offset = body.lowerBound + paddedTo4(offset + 1 - body.lowerBound)
                    guard offset <= body.upperBound else {
                        throw RTPError(.invalidLength, "SDES chunk padding runs past the packet")
                    }
                    break
                }
                guard offset + 2 <= body.upperBound else {
                    throw RTPError(.invalidLength, "SDES item header runs past the packet")
                }
                let length = Int(buffer[offset + 1])
                guard offset + 2 + length <= body.upperBound else {
                    throw RTPError(.invalidLength, "SDES item of \(length) bytes runs past the packet")
                }
                items.append(Item(type: ItemType(rawValue: type), value: Array(buffer[(offset + 2)..<(offset + 2 + length)])))
                offset += 2 + length
            }
            chunks.append(Chunk(ssrc: ssrc, items: items))
        }
        self.chunks = chunks
    }

    /// The size on the wire.
    public var serializedSize: Int {
        4 + chunks.reduce(0) { $0 + $1.serializedSize }
    }

    /// Appends the packet to `buffer`.
    ///
    /// - Precondition: at most 31 chunks, item values of at most 255 bytes and no item of type 0.
    public func serialize(into buffer: inout [UInt8]) {
        precondition(chunks.count <= 31, "an SDES packet carries at most 31 chunks")
        RTCPFrame.writeHeader(
            into: &buffer, count: UInt8(chunks.count), packetType: RTCPPacketType.sourceDescription.rawValue,
            bodyLength: serializedSize - 4)
        for chunk in chunks {
            let start = buffer.count
            buffer.appendBigEndian(chunk.ssrc)
            for item in chunk.items {
                precondition(item.type.rawValue != 0, "SDES item type 0 is the list terminator")
                precondition(item.value.count <= 255, "an SDES item value holds at most 255 bytes")
                buffer.append(item.type.rawValue)
                buffer.append(UInt8(item.value.count))
                buffer.append(contentsOf: item.value)
            }
            buffer.appendZeros(chunk.serializedSize - (buffer.count - start))
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
