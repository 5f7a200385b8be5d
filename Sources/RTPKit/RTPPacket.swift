/// An RTP packet (RFC 3550 section 5.1) that owns its CSRCs, header extension
/// and payload.
///
/// For the per-packet receive path prefer ``RTPHeader``, which validates the
/// same framing without allocating.
public struct RTPPacket: Sendable, Hashable {
    /// The RTP version this library reads and writes.
    public static let version: UInt8 = 2

    /// The marker bit (for video: last packet of a frame).
    public var marker: Bool
    /// The payload type, 0-127.
    public var payloadType: UInt8
    /// The 16-bit sequence number.
    public var sequenceNumber: UInt16
    /// The 32-bit RTP timestamp.
    public var timestamp: UInt32
    /// The synchronization source.
    public var ssrc: UInt32
    /// The contributing sources; at most 15.
    public var csrcs: [UInt32]
    /// The header extension; non-nil sets the X bit.
    public var headerExtension: RTPHeaderExtension?
    /// The payload, padding excluded.
    public var payload: [UInt8]
    /// The number of padding bytes at the end, the count byte included; 0 means
    /// no padding (P bit clear). Serialization writes `paddingLength - 1` zero
    /// bytes and then the count.
    public var paddingLength: UInt8

    /// Creates a packet.
    ///
    /// - Precondition: `payloadType` is below 128 and `csrcs` has at most 15 entries.
    public init(
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        marker: Bool = false,
        csrcs: [UInt32] = [],
        headerExtension: RTPHeaderExtension? = nil,
        payload: [UInt8] = [],
        paddingLength: UInt8 = 0
    ) {
        precondition(payloadType < 128, "RTP payload type must be below 128")
        precondition(csrcs.count <= 15, "an RTP packet carries at most 15 CSRCs")
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
        self.payload = payload
        self.paddingLength = paddingLength
    }

    /// Parses a packet, copying its parts.
    ///
    /// - Throws: the errors of ``RTPHeader`` parsing, and
    ///   ``RTPError/Code/invalidHeaderExtension`` when an RFC 8285 element list is malformed.
    @inlinable
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTPPacket in
            try RTPPacket(parsing: buffer)
        }
    }

    /// Parses a packet in raw memory, copying its parts.
    public init(parsing buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let header = try RTPHeader(parsing: buffer)
        try self.init(header: header, buffer: buffer)
    }

    /// Builds a packet from an already parsed header and the bytes it was parsed from.
    public init(header: RTPHeader, packet: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(packet) { (buffer) throws(RTPError) -> RTPPacket in
            guard buffer.count >= header.packetSize else {
                throw RTPError(.truncated, "the bytes are shorter than the parsed header says")
            }
            return try RTPPacket(header: header, buffer: buffer)
        }
    }

    private init(header: RTPHeader, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        marker = header.marker
        payloadType = header.payloadType
        sequenceNumber = header.sequenceNumber
        timestamp = header.timestamp
        ssrc = header.ssrc
        var csrcs: [UInt32] = []
        if header.csrcCount > 0 {
            csrcs.reserveCapacity(header.csrcCount)
            for index in 0..<header.csrcCount {
                csrcs.append(buffer.readUInt32(at: RTPHeader.fixedSize + 4 * index))
            }
        }
        self.csrcs = csrcs
        if let profile = header.extensionProfile {
            headerExtension = try RTPHeaderExtension(profile: profile, buffer: buffer, range: header.extensionRange)
        } else {
            headerExtension = nil
        }
        payload = Array(buffer[header.payloadRange])
        paddingLength = UInt8(header.paddingLength)
    }

    /// The header size: 12 bytes, the CSRCs and the extension.
    public var headerSize: Int {
        RTPHeader.fixedSize + 4 * csrcs.count + (headerExtension?.serializedSize ?? 0)
    }

    /// The size on the wire.
    public var serializedSize: Int {
        headerSize + payload.count + Int(paddingLength)
    }

    /// Appends the packet to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        Self.writeHeader(
            into: &buffer, marker: marker, payloadType: payloadType, sequenceNumber: sequenceNumber,
            timestamp: timestamp, ssrc: ssrc, csrcs: csrcs, headerExtension: headerExtension,
            hasPadding: paddingLength > 0)
        buffer.append(contentsOf: payload)
        if paddingLength > 0 {
            buffer.appendZeros(Int(paddingLength) - 1)
            buffer.append(paddingLength)
        }
    }

    /// The packet as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }

    /// Appends an RTP header (fixed part, CSRCs, extension) to `buffer`.
    static func writeHeader(
        into buffer: inout [UInt8],
        marker: Bool,
        payloadType: UInt8,
        sequenceNumber: UInt16,
        timestamp: UInt32,
        ssrc: UInt32,
        csrcs: [UInt32],
        headerExtension: RTPHeaderExtension?,
        hasPadding: Bool
    ) {
        precondition(payloadType < 128, "RTP payload type must be below 128")
        precondition(csrcs.count <= 15, "an RTP packet carries at most 15 CSRCs")
        var first = version << 6 | UInt8(csrcs.count)
        if hasPadding { first |= 0x20 }
        if headerExtension != nil { first |= 0x10 }
        buffer.append(first)
        buffer.append((marker ? 0x80 : 0) | payloadType)
        buffer.appendBigEndian(sequenceNumber)
        buffer.appendBigEndian(timestamp)
        buffer.appendBigEndian(ssrc)
        for csrc in csrcs {
            buffer.appendBigEndian(csrc)
        }
        headerExtension?.serialize(into: &buffer)
    }
}

extension RTPPacket {
    /// The data of the first header extension element with this id, or nil.
    public func extensionElement(id: UInt8) -> [UInt8]? {
        headerExtension?.element(id: id)
    }

    /// Sets a header extension element, creating a one-byte extension if there is none.
    ///
    /// - Throws: see ``RTPHeaderExtension/setElement(id:data:)``.
    public mutating func setExtensionElement(id: UInt8, data: some Collection<UInt8>) throws(RTPError) {
        var updated = headerExtension ?? RTPHeaderExtension()
        try updated.setElement(id: id, data: data)
        headerExtension = updated
    }

    /// Removes a header extension element; returns whether it was there.
    /// The (possibly empty) extension stays in place.
    @discardableResult
    public mutating func removeExtensionElement(id: UInt8) -> Bool {
        guard var updated = headerExtension else { return false }
        let removed = updated.removeElement(id: id)
        headerExtension = updated
        return removed
    }
}
