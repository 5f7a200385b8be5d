/// An RTCP receiver report, RR, PT 201 (RFC 3550 section 6.4.2).
public struct RTCPReceiverReport: Sendable, Hashable {
    /// The reporter's SSRC.
    public var ssrc: UInt32
    /// Reception report blocks; at most 31.
    public var reportBlocks: [RTCPReportBlock]
    /// Profile-specific extension bytes after the blocks. When they do not
    /// fill whole 32-bit words the packet is written with RTCP padding (P bit),
    /// which parsing strips again.
    public var profileExtension: [UInt8]

    /// Creates a receiver report.
    public init(ssrc: UInt32, reportBlocks: [RTCPReportBlock] = [], profileExtension: [UInt8] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
        self.profileExtension = profileExtension
    }

    /// Parses a buffer that holds exactly one RR.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPReceiverReport in
            let frame = try RTCPFrame.readSingle(buffer, expecting: .receiverReport)
            return try RTCPReceiverReport(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let body = frame.body
        let blocks = Int(frame.count)
        guard body.count >= 4 + blocks * RTCPReportBlock.size else {
            throw RTPError(.invalidLength, "RR with \(blocks) report blocks needs \(4 + blocks * 24) body bytes, has \(body.count)")
        }
        let start = body.lowerBound
        ssrc = buffer.readUInt32(at: start)
        reportBlocks = RTCPReportBlock.readList(count: blocks, from: buffer, at: start + 4)
        profileExtension = Array(buffer[(start + 4 + blocks * RTCPReportBlock.size)..<body.upperBound])
    }

    /// The size on the wire.
    public var serializedSize: Int {
        4 + 4 + reportBlocks.count * RTCPReportBlock.size + paddedTo4(profileExtension.count)
    }

    /// Appends the packet to `buffer`.
    ///
    /// - Precondition: at most 31 report blocks.
    public func serialize(into buffer: inout [UInt8]) {
        precondition(reportBlocks.count <= 31, "an RR carries at most 31 report blocks")
        RTCPFrame.writeHeader(
            into: &buffer, count: UInt8(reportBlocks.count), packetType: RTCPPacketType.receiverReport.rawValue,
            bodyLength: serializedSize - 4, hasPadding: paddedTo4(profileExtension.count) != profileExtension.count)
        buffer.appendBigEndian(ssrc)
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
