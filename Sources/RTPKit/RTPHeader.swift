/// A parsed RTP fixed header (RFC 3550 section 5.1) that owns no memory: the
/// fields plus the offsets of the CSRC list, the header extension body, the
/// payload and the padding inside the bytes it was parsed from.
///
/// This is the per-packet fast path: parsing validates the whole packet
/// framing (version, CSRC count, extension length, padding count) without
/// allocating. All offsets count from the first byte given to the parser, so
/// for an `ArraySlice` use `slice.startIndex + offset`.
public struct RTPHeader: Sendable, Hashable {
    /// The fixed header size in bytes.
    public static let fixedSize = 12

    /// The marker bit.
    public let marker: Bool
    /// The payload type (0-127).
    public let payloadType: UInt8
    /// The 16-bit sequence number.
    public let sequenceNumber: UInt16
    /// The 32-bit RTP timestamp.
    public let timestamp: UInt32
    /// The synchronization source.
    public let ssrc: UInt32
    /// The number of contributing sources (0-15); they start at offset 12.
    public let csrcCount: Int
    /// The extension's profile field, or nil when the X bit is clear.
    public let extensionProfile: UInt16?
    /// The offsets of the extension body (after its 4-byte header); empty without an extension.
    public let extensionRange: Range<Int>
    /// The offsets of the payload, padding excluded.
    public let payloadRange: Range<Int>
    /// The number of padding bytes at the end, the count byte included; 0 when the P bit is clear.
    public let paddingLength: Int

    /// Whether the padding (P) bit is set.
    public var hasPadding: Bool { paddingLength > 0 }
    /// Whether the extension (X) bit is set.
    public var hasExtension: Bool { extensionProfile != nil }
    /// The header size: fixed header, CSRCs and extension.
    public var headerSize: Int { payloadRange.lowerBound }
    /// The whole packet's size: header, payload and padding.
    public var packetSize: Int { payloadRange.upperBound + paddingLength }

    /// Parses and validates the framing of an RTP packet.
    ///
    /// - Throws: ``RTPError/Code/truncated`` when the bytes end before the fixed
    ///   header, the CSRC list or the extension says; ``RTPError/Code/unsupportedVersion``
    ///   when the version is not 2; ``RTPError/Code/invalidPadding`` when the
    ///   padding count is 0 or larger than what follows the header.
    @inlinable
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTPHeader in
            try RTPHeader(parsing: buffer)
        }
    }

    /// Parses and validates the framing of an RTP packet in raw memory.
    public init(parsing buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let count = buffer.count
        guard count >= Self.fixedSize else {
            throw RTPError(.truncated, "RTP packet of \(count) bytes is shorter than the 12-byte fixed header")
        }
        let first = buffer[0]
        guard first >> 6 == 2 else {
            throw RTPError(.unsupportedVersion, "RTP version \(first >> 6), expected 2")
        }
        let second = buffer[1]
        marker = second & 0x80 != 0
        payloadType = second & 0x7F
        sequenceNumber = buffer.readUInt16(at: 2)
        timestamp = buffer.readUInt32(at: 4)
        ssrc = buffer.readUInt32(at: 8)
        csrcCount = Int(first & 0x0F)
        var offset = Self.fixedSize + 4 * csrcCount
        guard offset <= count else {
            throw RTPError(.truncated, "RTP packet of \(count) bytes cannot hold its \(csrcCount) CSRCs")
        }
        if first & 0x10 != 0 {
            guard offset + 4 <= count else {
                throw RTPError(.truncated, "RTP packet ends inside the header extension's header")
            }
            let profile = buffer.readUInt16(at: offset)
            let bodyLength = 4 * Int(buffer.readUInt16(at: offset + 2))
            let bodyStart = offset + 4
            guard bodyStart + bodyLength <= count else {
                throw RTPError(.truncated, "header extension of \(bodyLength) bytes runs past the end of the \(count)-byte packet")
            }
            extensionProfile = profile
            extensionRange = bodyStart..<(bodyStart + bodyLength)
            offset = bodyStart + bodyLength
        } else {
            extensionProfile = nil
            extensionRange = offset..<offset
        }
        if first & 0x20 != 0 {
            let padding = Int(buffer[count - 1])
            guard padding > 0, padding <= count - offset else {
                throw RTPError(.invalidPadding, "padding count \(padding) with \(count - offset) bytes after the header")
            }
            paddingLength = padding
        } else {
            paddingLength = 0
        }
        payloadRange = offset..<(count - paddingLength)
    }

    /// The CSRC at `index` (0..<``csrcCount``) read from the bytes this header was parsed from.
    @inlinable
    public func csrc(at index: Int, in packet: some Collection<UInt8>) -> UInt32 {
        withBorrowedBytesNonThrowing(packet) { csrc(at: index, in: $0) }
    }

    /// The CSRC at `index` (0..<``csrcCount``) read from the memory this header was parsed from.
    public func csrc(at index: Int, in packet: UnsafeRawBufferPointer) -> UInt32 {
        precondition(index >= 0 && index < csrcCount, "CSRC index out of range")
        precondition(packet.count >= Self.fixedSize + 4 * csrcCount, "not the packet this header was parsed from")
        return packet.readUInt32(at: Self.fixedSize + 4 * index)
    }

    /// The offsets of the data of the first RFC 8285 element with `id`, found in
    /// the bytes this header was parsed from, without allocating.
    ///
    /// Returns nil without an RFC 8285 extension, when the id is absent, or when
    /// the element list is malformed before the id is found.
    @inlinable
    public func extensionElementRange(id: UInt8, in packet: some Collection<UInt8>) -> Range<Int>? {
        guard extensionProfile != nil else { return nil }
        return withBorrowedBytesNonThrowing(packet) { extensionElementRange(id: id, in: $0) }
    }

    /// The offsets of the data of the first RFC 8285 element with `id`, found in
    /// the memory this header was parsed from.
    public func extensionElementRange(id: UInt8, in packet: UnsafeRawBufferPointer) -> Range<Int>? {
        guard let profile = extensionProfile, RTPHeaderExtensionElementWalker.isElementProfile(profile) else { return nil }
        let range = extensionRange
        guard range.upperBound <= packet.count else { return nil }
        var found: Range<Int>?
        _ = RTPHeaderExtensionElementWalker.walk(profile: profile, body: packet, range: range) { elementID, data in
            if elementID == id {
                found = data
                return false
            }
            return true
        }
        return found
    }
}
