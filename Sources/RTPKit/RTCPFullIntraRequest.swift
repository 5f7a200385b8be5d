/// An RTCP full intra request, FIR: payload-specific feedback (PT 206)
/// with FMT 4 (RFC 5104 section 4.3.1).
public struct RTCPFullIntraRequest: Sendable, Hashable {
    /// The FMT value of FIR.
    public static let format: UInt8 = 4

    /// One FCI entry: the media sender asked for a decoder refresh, and a
    /// command sequence number the requester increments per new request.
    public struct Entry: Sendable, Hashable {
        /// The SSRC of the media sender that should send a key frame.
        public var ssrc: UInt32
        /// The command sequence number (incremented for each new request, not for repetitions).
        public var sequenceNumber: UInt8

        /// Creates an entry.
        public init(ssrc: UInt32, sequenceNumber: UInt8) {
            self.ssrc = ssrc
            self.sequenceNumber = sequenceNumber
        }
    }

    /// The SSRC of the packet's sender.
    public var senderSSRC: UInt32
    /// The media source field of the common feedback header (RFC 5104 says 0).
    public var mediaSSRC: UInt32
    /// The FCI entries; at least one.
    public var entries: [Entry]

    /// Creates a FIR.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32 = 0, entries: [Entry]) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.entries = entries
    }

    /// Parses a buffer that holds exactly one FIR.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPFullIntraRequest in
            let frame = try RTCPFrame.readSingle(buffer, expecting: .payloadSpecificFeedback)
            guard frame.count == Self.format else {
                throw RTPError(.malformedPacket, "payload-specific feedback FMT \(frame.count) is not FIR")
            }
            return try RTCPFullIntraRequest(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let body = frame.body
        guard body.count >= 16, (body.count - 8) % 8 == 0 else {
            throw RTPError(.invalidLength, "FIR needs 8 bytes plus whole 8-byte entries, has \(body.count) body bytes")
        }
        senderSSRC = buffer.readUInt32(at: body.lowerBound)
        mediaSSRC = buffer.readUInt32(at: body.lowerBound + 4)
        var entries: [Entry] = []
        entries.reserveCapacity((body.count - 8) / 8)
        var offset = body.lowerBound + 8
        while offset < body.upperBound {
            entries.append(Entry(ssrc: buffer.readUInt32(at: offset), sequenceNumber: buffer[offset + 4]))
            offset += 8
        }
        self.entries = entries
    }

    /// The size on the wire.
    public var serializedSize: Int { 12 + 8 * entries.count }

    /// Appends the packet to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        RTCPFrame.writeHeader(
            into: &buffer, count: Self.format, packetType: RTCPPacketType.payloadSpecificFeedback.rawValue,
            bodyLength: serializedSize - 4)
        buffer.appendBigEndian(senderSSRC)
        buffer.appendBigEndian(mediaSSRC)
        for entry in entries {
            buffer.appendBigEndian(entry.ssrc)
            buffer.append(entry.sequenceNumber)
            buffer.appendZeros(3)
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
