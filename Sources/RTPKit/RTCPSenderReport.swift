/// An RTCP sender report, SR, PT 200 (RFC 3550 section 6.4.1).
public struct RTCPSenderReport: Sendable, Hashable {
    /// The sender's SSRC.
    public var ssrc: UInt32
    /// The wall-clock time the report was sent.
    public var ntpTimestamp: NTPTimestamp
    /// The RTP timestamp matching `ntpTimestamp` on the media clock.
    public var rtpTimestamp: UInt32
    /// Packets sent since the start of transmission.
    public var packetCount: UInt32
    /// Payload octets sent since the start of transmission.
    public var octetCount: UInt32
    /// Reception report blocks; at most 31.
    public var reportBlocks: [RTCPReportBlock]
    /// Profile-specific extension bytes after the blocks. When they do not
    /// fill whole 32-bit words the packet is written with RTCP padding (P bit),
    /// which parsing strips again.
    public var profileExtension: [UInt8]

    /// Creates a sender report.
    public init(
        ssrc: UInt32,
        ntpTimestamp: NTPTimestamp,
        rtpTimestamp: UInt32,
        packetCount: UInt32,
        octetCount: UInt32,
        reportBlocks: [RTCPReportBlock] = [],
        profileExtension: [UInt8] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
        self.profileExtension = profileExtension
    }

    /// Parses a buffer that holds exactly one SR.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPSenderReport in
            let frame = try RTCPFrame.readSingle(buffer, expecting: .senderReport)
            return try RTCPSenderReport(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let body = frame.body
        let blocks = Int(frame.count)
        guard body.count >= 24 + blocks * RTCPReportBlock.size else {
            throw RTPError(.invalidLength, "SR with \(blocks) report blocks needs \(24 + blocks * 24) body bytes, has \(body.count)")
        }
        let start = body.lowerBound
        ssrc = buffer.readUInt32(at: start)
        ntpTimestamp = NTPTimestamp(rawValue: buffer.readUInt64(at: start + 4))
        rtpTimestamp = buffer.readUInt32(at: start + 12)
        packetCount = buffer.readUInt32(at: start + 16)
        octetCount = buffer.readUInt32(at: start + 20)
        reportBlocks = RTCPReportBlock.readList(count: blocks, from: buffer, at: start + 24)
        profileExtension = Array(buffer[(start + 24 + blocks * RTCPReportBlock.size)..<body.upperBound])
    }

    /// The size on the wire.
    public var serializedSize: Int {
        4 + 24 + reportBlocks.count * RTCPReportBlock.size + paddedTo4(profileExtension.count)
    }

    /// Appends the packet to `buffer`.
    ///
    /// - Precondition: at most 31 report blocks.
    public func serialize(into buffer: inout [UInt8]) {
        precondition(reportBlocks.count <= 31, "an SR carries at most 31 report blocks")
        RTCPFrame.writeHeader(
            into: &buffer, count: UInt8(reportBlocks.count), packetType: RTCPPacketType.senderReport.rawValue,
            bodyLength: serializedSize - 4, hasPadding: paddedTo4(profileExtension.count) != profileExtension.count)
        buffer.appendBigEndian(ssrc)
        buffer.appendBigEndian(ntpTimestamp.rawValue)
        buffer.appendBigEndian(rtpTimestamp)
        buffer.appendBigEndian(packetCount)
        buffer.appendBigEndian(octetCount)
        for block in reportBlocks {
            block.serialize(into: &buffer)
        }
        buffer.append(contentsOf: profileExtension)
        let padding = paddedTo4(profileExtension.count) - profileExtension.count
        if padding > 0 {
            buffer.appendZeros(padding - 1)
            buffer.append(UInt8(padding))
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
