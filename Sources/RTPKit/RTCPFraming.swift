// Internal framing shared by every RTCP packet: the 4-byte common header
// (V=2, P, count/FMT, PT, length in 32-bit words minus one).

/// One RTCP packet found in a buffer: its header fields and the body range
/// (after the 4-byte header, padding excluded).
struct RTCPFrame {
    var count: UInt8
    var packetType: UInt8
    var hasPadding: Bool
    var body: Range<Int>
    /// The offset just past this packet (padding included).
    var end: Int

    /// Reads the packet that starts at `offset`.
    static func read(_ buffer: UnsafeRawBufferPointer, at offset: Int) throws(RTPError) -> RTCPFrame {
        let remaining = buffer.count - offset
        guard remaining >= 4 else {
            throw RTPError(.truncated, "\(remaining) bytes left, an RTCP header needs 4")
        }
        let first = buffer[offset]
        guard first >> 6 == 2 else {
            throw RTPError(.unsupportedVersion, "RTCP version \(first >> 6), expected 2")
        }
        let size = 4 * (Int(buffer.readUInt16(at: offset + 2)) + 1)
        guard size <= remaining else {
            throw RTPError(.truncated, "RTCP length field says \(size) bytes, \(remaining) are left")
        }
        let end = offset + size
        var bodyEnd = end
        let hasPadding = first & 0x20 != 0
        if hasPadding {
            let padding = Int(buffer[end - 1])
            guard padding > 0, padding <= size - 4 else {
                throw RTPError(.invalidPadding, "RTCP padding count \(padding) in a \(size)-byte packet")
            }
            bodyEnd -= padding
        }
        return RTCPFrame(
            count: first & 0x1F, packetType: buffer[offset + 1], hasPadding: hasPadding,
            body: (offset + 4)..<bodyEnd, end: end)
    }

    /// Reads a buffer that must hold exactly one packet, of `expected` type if given.
    static func readSingle(
        _ buffer: UnsafeRawBufferPointer, expecting expected: RTCPPacketType?
    ) throws(RTPError) -> RTCPFrame {
        let frame = try read(buffer, at: 0)
        guard frame.end == buffer.count else {
            throw RTPError(.invalidLength, "RTCP length field says \(frame.end) bytes, \(buffer.count) were given")
        }
        if let expected, frame.packetType != expected.rawValue {
            throw RTPError(.malformedPacket, "RTCP packet type \(frame.packetType), expected \(expected.rawValue)")
        }
        return frame
    }

    /// Appends a common header for a body of `bodyLength` bytes (a multiple of 4).
    static func writeHeader(
        into buffer: inout [UInt8], count: UInt8, packetType: UInt8, bodyLength: Int, hasPadding: Bool = false
    ) {
        precondition(count < 32, "RTCP count/FMT field holds 0-31")
        precondition(bodyLength % 4 == 0 && bodyLength / 4 <= 0xFFFF, "RTCP body must be whole 32-bit words")
        buffer.append(2 << 6 | (hasPadding ? 0x20 : 0) | count)
        buffer.append(packetType)
        buffer.appendBigEndian(UInt16(bodyLength / 4))
    }
}
