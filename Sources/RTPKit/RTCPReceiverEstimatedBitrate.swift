/// A receiver estimated maximum bitrate, REMB (draft-alvestrand-rmcat-remb-03):
/// application-layer payload-specific feedback (PT 206, FMT 15) whose FCI
/// starts with the four bytes "REMB", then the number of SSRCs, the bitrate
/// as a 6-bit exponent and an 18-bit mantissa, and the SSRCs it applies to.
/// What a receiver that does not send transport-wide feedback tells the
/// sender it may send.
public struct RTCPReceiverEstimatedBitrate: Sendable, Hashable {
    /// The FMT value of application-layer feedback.
    public static let format: UInt8 = 15
    /// "REMB", the identifier that starts the FCI.
    public static let identifier: UInt32 = 0x5245_4D42

    /// The SSRC of the packet's sender.
    public var senderSSRC: UInt32
    /// The estimate, in bits per second (what 6 + 18 bits can hold: below 2^81).
    public var bitrate: UInt64
    /// The media SSRCs the estimate covers (at most 255).
    public var ssrcs: [UInt32]

    /// Creates a REMB.
    public init(senderSSRC: UInt32, bitrate: UInt64, ssrcs: [UInt32]) {
        self.senderSSRC = senderSSRC
        self.bitrate = bitrate
        self.ssrcs = ssrcs
    }

    /// Whether the payload-specific feedback of FMT 15 in `frame` is a REMB
    /// (other application-layer feedback shares the FMT).
    static func isREMB(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) -> Bool {
        frame.count == format && frame.body.count >= 12 && buffer.readUInt32(at: frame.body.lowerBound + 8) == identifier
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let body = frame.body
        guard body.count >= 16 else {
            throw RTPError(.invalidLength, "REMB needs at least 16 body bytes, has \(body.count)")
        }
        guard buffer.readUInt32(at: body.lowerBound + 8) == Self.identifier else {
            throw RTPError(.malformedPacket, "application-layer feedback is not REMB")
        }
        senderSSRC = buffer.readUInt32(at: body.lowerBound)
        let count = Int(buffer[body.lowerBound + 12])
        let exponent = UInt64(buffer[body.lowerBound + 13] >> 2)
        let mantissa = UInt64(buffer[body.lowerBound + 13] & 0x03) << 16
            | UInt64(buffer[body.lowerBound + 14]) << 8 | UInt64(buffer[body.lowerBound + 15])
        guard body.count >= 16 + 4 * count else {
            throw RTPError(.invalidLength, "REMB names \(count) SSRCs in \(body.count - 16) bytes")
        }
        // 18 bits shifted by up to 63 would overflow 64 bits: such an estimate is unlimited in practice.
        bitrate = exponent > 46 ? UInt64.max : mantissa << exponent
        ssrcs = (0..<count).map { buffer.readUInt32(at: body.lowerBound + 16 + 4 * $0) }
    }

    /// The size on the wire.
    public var serializedSize: Int { 20 + 4 * min(ssrcs.count, 255) }

    /// Appends the packet to `buffer`; the bitrate is rounded down to what
    /// an 18-bit mantissa can say.
    public func serialize(into buffer: inout [UInt8]) {
        let listed = ssrcs.prefix(255)
        RTCPFrame.writeHeader(
            into: &buffer, count: Self.format, packetType: RTCPPacketType.payloadSpecificFeedback.rawValue,
            bodyLength: 16 + 4 * listed.count)
        buffer.appendBigEndian(senderSSRC)
        buffer.appendBigEndian(UInt32(0))  // media SSRC: unused
        buffer.appendBigEndian(Self.identifier)
        var exponent: UInt64 = 0
        while bitrate >> exponent >= 1 << 18 { exponent += 1 }
        let mantissa = bitrate >> exponent
        buffer.append(UInt8(listed.count))
        buffer.append(UInt8(exponent << 2) | UInt8((mantissa >> 16) & 0x03))
        buffer.append(UInt8((mantissa >> 8) & 0xFF))
        buffer.append(UInt8(mantissa & 0xFF))
        for ssrc in listed { buffer.appendBigEndian(ssrc) }
    }
}
