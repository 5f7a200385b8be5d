/// An RTCP picture loss indication, PLI: payload-specific feedback
/// (PT 206) with FMT 1 and no FCI (RFC 4585 section 6.3.1).
public struct RTCPPictureLossIndication: Sendable, Hashable {
    /// The FMT value of PLI.
    public static let format: UInt8 = 1

    /// The SSRC of the packet's sender (the receiver asking for a picture).
    public var senderSSRC: UInt32
    /// The SSRC of the media source that should send a key frame.
    public var mediaSSRC: UInt32

    /// Creates a PLI.
    public init(senderSSRC: UInt32, mediaSSRC: UInt32) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
    }

    /// Parses a buffer that holds exactly one PLI.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPPictureLossIndication in
            let frame = try RTCPFrame.readSingle(buffer, expecting: .payloadSpecificFeedback)
            guard frame.count == Self.format else {
                throw RTPError(.malformedPacket, "payload-specific feedback FMT \(frame.count) is not PLI")
            }
            return try RTCPPictureLossIndication(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        guard frame.body.count >= 8 else {
            throw RTPError(.invalidLength, "PLI needs 8 body bytes, has \(frame.body.count)")
        }
        senderSSRC = buffer.readUInt32(at: frame.body.lowerBound)
        mediaSSRC = buffer.readUInt32(at: frame.body.lowerBound + 4)
    }

    /// The size on the wire (12 bytes).
    public var serializedSize: Int { 12 }

    /// Appends the packet to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        RTCPFrame.writeHeader(
            into: &buffer, count: Self.format, packetType: RTCPPacketType.payloadSpecificFeedback.rawValue, bodyLength: 8)
        buffer.appendBigEndian(senderSSRC)
        buffer.appendBigEndian(mediaSSRC)
    }

    /// The packet as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }
}
