/// An RTCP packet RTPKit does not interpret (APP, XR, REMB, transport-wide
/// congestion control feedback, ...), kept verbatim so it can be inspected or
/// forwarded.
public struct RTCPRawPacket: Sendable, Hashable {
    /// The packet type (PT).
    public var packetType: RTCPPacketType
    /// The 5-bit count or FMT field.
    public var count: UInt8
    /// Whether the padding (P) bit is set; `body` then ends with the padding.
    public var hasPadding: Bool
    /// Everything after the 4-byte common header, padding included (zero-padded
    /// to 32 bits when written).
    public var body: [UInt8]

    /// Creates a raw packet.
    public init(packetType: RTCPPacketType, count: UInt8, hasPadding: Bool = false, body: [UInt8]) {
        self.packetType = packetType
        self.count = count
        self.hasPadding = hasPadding
        self.body = body
    }

    /// Parses a buffer that holds exactly one RTCP packet of any type, uninterpreted.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPRawPacket in
            let frame = try RTCPFrame.readSingle(buffer, expecting: nil)
            return RTCPRawPacket(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) {
        packetType = RTCPPacketType(rawValue: frame.packetType)
        count = frame.count
        hasPadding = frame.hasPadding
        body = Array(buffer[frame.body.lowerBound..<frame.end])
    }

    /// The size on the wire.
    public var serializedSize: Int { 4 + paddedTo4(body.count) }

    /// Appends the packet to `buffer`.
    ///
    /// - Precondition: `count` is below 32 and the body at most 262140 bytes.
    public func serialize(into buffer: inout [UInt8]) {
        RTCPFrame.writeHeader(
            into: &buffer, count: count, packetType: packetType.rawValue,
            bodyLength: serializedSize - 4, hasPadding: hasPadding)
        buffer.append(contentsOf: body)
        buffer.appendZeros(paddedTo4(body.count) - body.count)
    }

    /// The packet as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }
}
