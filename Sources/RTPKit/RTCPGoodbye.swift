/// An RTCP goodbye, BYE, PT 203 (RFC 3550 section 6.6).
public struct RTCPGoodbye: Sendable, Hashable {
    /// The sources that are leaving; at most 31.
    public var ssrcs: [UInt32]
    /// The optional reason for leaving. Parsing decodes it as UTF-8 (invalid
    /// sequences replaced); serialization writes at most 255 bytes of it,
    /// cut at a character boundary.
    public var reason: String?

    /// Creates a goodbye.
    public init(ssrcs: [UInt32], reason: String? = nil) {
        self.ssrcs = ssrcs
        self.reason = reason
    }

    /// Parses a buffer that holds exactly one BYE.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPGoodbye in
            let frame = try RTCPFrame.readSingle(buffer, expecting: .goodbye)
            return try RTCPGoodbye(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let body = frame.body
        let count = Int(frame.count)
        guard body.count >= 4 * count else {
            throw RTPError(.invalidLength, "BYE with \(count) sources needs \(4 * count) body bytes, has \(body.count)")
        }
        var ssrcs: [UInt32] = []
        ssrcs.reserveCapacity(count)
        for index in 0..<count {
            ssrcs.append(buffer.readUInt32(at: body.lowerBound + 4 * index))
        }
        self.ssrcs = ssrcs
        let reasonStart = body.lowerBound + 4 * count
        if reasonStart < body.upperBound {
            let length = Int(buffer[reasonStart])
            guard reasonStart + 1 + length <= body.upperBound else {
                throw RTPError(.invalidLength, "BYE reason of \(length) bytes runs past the packet")
            }
            reason = String(decoding: buffer[(reasonStart + 1)..<(reasonStart + 1 + length)], as: UTF8.self)
        } else {
            reason = nil
        }
    }

    /// The size on the wire.
    public var serializedSize: Int {
        4 + 4 * ssrcs.count + (reason.map { paddedTo4(1 + Self.wireReason($0).count) } ?? 0)
    }

    /// Appends the packet to `buffer`.
    ///
    /// - Precondition: at most 31 sources.
    public func serialize(into buffer: inout [UInt8]) {
        precondition(ssrcs.count <= 31, "a BYE carries at most 31 sources")
        RTCPFrame.writeHeader(
            into: &buffer, count: UInt8(ssrcs.count), packetType: RTCPPacketType.goodbye.rawValue,
            bodyLength: serializedSize - 4)
        for ssrc in ssrcs {
            buffer.appendBigEndian(ssrc)
        }
        if let reason {
            let utf8 = Self.wireReason(reason)
            buffer.append(UInt8(utf8.count))
            buffer.append(contentsOf: utf8)
            buffer.appendZeros(paddedTo4(1 + utf8.count) - 1 - utf8.count)
        }
    }

    /// The reason's UTF-8, cut to at most 255 bytes without splitting a character.
    private static func wireReason(_ reason: String) -> ArraySlice<UInt8> {
        let utf8 = Array(reason.utf8)
        guard utf8.count > 255 else { return utf8[...] }
        var end = 255
        // Back off over continuation bytes (10xxxxxx) so a scalar is not split.
        while end > 0, utf8[end] & 0xC0 == 0x80 { end -= 1 }
        return utf8[..<end]
    }

    /// The packet as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }
}
