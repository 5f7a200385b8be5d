/// One reception report block of an SR or RR (RFC 3550 section 6.4.1).
public struct RTCPReportBlock: Sendable, Hashable {
    /// The size of a report block on the wire.
    public static let size = 24

    /// The source this block reports on.
    public var ssrc: UInt32
    /// The fraction of packets lost since the previous report, in 1/256 units.
    public var fractionLost: UInt8
    /// The cumulative number of packets lost, a signed 24-bit value
    /// (serialization clamps to -8388608...8388607).
    public var cumulativeLost: Int32
    /// The extended highest sequence number received (cycles in the high 16 bits).
    public var extendedHighestSequenceNumber: UInt32
    /// The interarrival jitter in RTP timestamp units.
    public var jitter: UInt32
    /// LSR: the middle 32 bits of the NTP timestamp of the last SR received from this source, or 0.
    public var lastSenderReport: UInt32
    /// DLSR: the delay since that SR was received, in units of 1/65536 s, or 0.
    public var delaySinceLastSenderReport: UInt32

    /// Creates a report block.
    public init(
        ssrc: UInt32,
        fractionLost: UInt8 = 0,
        cumulativeLost: Int32 = 0,
        extendedHighestSequenceNumber: UInt32 = 0,
        jitter: UInt32 = 0,
        lastSenderReport: UInt32 = 0,
        delaySinceLastSenderReport: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequenceNumber = extendedHighestSequenceNumber
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    /// Reads a block at `offset`; the caller has checked that 24 bytes are there.
    init(buffer: UnsafeRawBufferPointer, at offset: Int) {
        ssrc = buffer.readUInt32(at: offset)
        fractionLost = buffer[offset + 4]
        let lost = buffer.readUInt24(at: offset + 5)
        // Sign-extend the 24-bit two's complement value.
        cumulativeLost = Int32(bitPattern: lost << 8) >> 8
        extendedHighestSequenceNumber = buffer.readUInt32(at: offset + 8)
        jitter = buffer.readUInt32(at: offset + 12)
        lastSenderReport = buffer.readUInt32(at: offset + 16)
        delaySinceLastSenderReport = buffer.readUInt32(at: offset + 20)
    }

    /// Reads `count` consecutive blocks starting at `offset` (SR and RR both
    /// carry a list of them); the caller has checked the length.
    static func readList(count: Int, from buffer: UnsafeRawBufferPointer, at offset: Int) -> [RTCPReportBlock] {
        (0..<count).map { RTCPReportBlock(buffer: buffer, at: offset + $0 * size) }
    }

    /// Appends the 24-byte block.
    func serialize(into buffer: inout [UInt8]) {
        buffer.appendBigEndian(ssrc)
        buffer.append(fractionLost)
        let clamped = min(max(cumulativeLost, -0x80_0000), 0x7F_FFFF)
        buffer.appendBigEndian24(UInt32(bitPattern: clamped))
        buffer.appendBigEndian(extendedHighestSequenceNumber)
        buffer.appendBigEndian(jitter)
        buffer.appendBigEndian(lastSenderReport)
        buffer.appendBigEndian(delaySinceLastSenderReport)
    }

    /// The round-trip time to the reporting receiver (RFC 3550 section 6.4.1):
    /// `A - LSR - DLSR` in NTP short format, where A is `arrival`, the time this
    /// block was received, as an NTP timestamp.
    ///
    /// Returns nil when the block carries no LSR (the receiver has not seen an SR
    /// yet). A negative result (clock steps, rounding) gives zero.
    public func roundTripTime(receivedAt arrival: NTPTimestamp) -> Duration? {
        guard lastSenderReport != 0 else { return nil }
        let rtt = arrival.middle32Bits &- lastSenderReport &- delaySinceLastSenderReport
        guard Int32(bitPattern: rtt) >= 0 else { return .zero }
        return NTPTimestamp.duration(fromShortFormat: rtt)
    }
}
