/// Hand-built RTP packets for the benchmarks (no RTPKit involved, so the
/// baselines do not depend on the code they are compared with).
public enum TestRTPPacket {
    /// The packet size the benchmarks use: a full video packet at the usual
    /// 1200-byte limit (RTP header included, SRTP trailer not).
    public static let size = 1200
    /// The stream's SSRC.
    public static let ssrc: UInt32 = 0x1234_5678
    /// The payload type (VP8 as Chromium offers it).
    public static let payloadType: UInt8 = 96

    /// A `size`-byte RTP packet (12-byte header, no CSRCs, no extension) with a
    /// pseudo-random payload and `spareCapacity` bytes of capacity reserved after it.
    public static func make(
        size: Int = TestRTPPacket.size, sequenceNumber: UInt16, timestamp: UInt32 = 90_000, spareCapacity: Int = 0
    ) -> [UInt8] {
        precondition(size >= 12, "an RTP packet needs its 12-byte header")
        var packet: [UInt8] = []
        packet.reserveCapacity(size + spareCapacity)
        writeHeader(into: &packet, marker: false, sequenceNumber: sequenceNumber, timestamp: timestamp)
        var generator = SplitMix64(seed: UInt64(sequenceNumber) &+ 1)
        while packet.count < size {
            packet.append(UInt8(truncatingIfNeeded: generator.next()))
        }
        return packet
    }

    /// Appends a 12-byte RTP header (version 2, no padding, extension or CSRCs).
    @inline(__always)
    public static func writeHeader(into buffer: inout [UInt8], marker: Bool, sequenceNumber: UInt16, timestamp: UInt32) {
        buffer.append(0x80)
        buffer.append((marker ? 0x80 : 0x00) | payloadType)
        buffer.append(UInt8(truncatingIfNeeded: sequenceNumber >> 8))
        buffer.append(UInt8(truncatingIfNeeded: sequenceNumber))
        appendBigEndian(timestamp, to: &buffer)
        appendBigEndian(ssrc, to: &buffer)
    }

    /// Overwrites the sequence number of the RTP packet at `base`.
    @inline(__always)
    public static func setSequenceNumber(_ sequenceNumber: UInt16, at base: UnsafeMutableRawPointer) {
        base.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
    }

    /// Overwrites the sequence number of the RTP packet in `packet`.
    @inline(__always)
    public static func setSequenceNumber(_ sequenceNumber: UInt16, in packet: inout [UInt8]) {
        packet[2] = UInt8(truncatingIfNeeded: sequenceNumber >> 8)
        packet[3] = UInt8(truncatingIfNeeded: sequenceNumber)
    }

    @inline(__always)
    private static func appendBigEndian(_ value: UInt32, to buffer: inout [UInt8]) {
        buffer.append(UInt8(truncatingIfNeeded: value >> 24))
        buffer.append(UInt8(truncatingIfNeeded: value >> 16))
        buffer.append(UInt8(truncatingIfNeeded: value >> 8))
        buffer.append(UInt8(truncatingIfNeeded: value))
    }
}
