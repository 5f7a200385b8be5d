/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 section 4.2).
///
/// ```
///       0 1 2 3 4 5 6 7
///      |X|R|N|S|R| PID |   required
///   X: |I|L|T|K| RSV   |   when X
///   I: |M| PictureID   |   when I (a second byte when M)
///   L: |   TL0PICIDX   |   when L
/// T/K: |TID|Y| KEYIDX  |   when T or K
/// ```
public struct VP8PayloadDescriptor: Sendable, Hashable {
    /// A picture ID in its 7-bit or 15-bit form.
    public enum PictureID: Sendable, Hashable {
        /// A 7-bit picture ID (M bit clear), 0-127.
        case sevenBit(UInt8)
        /// A 15-bit picture ID (M bit set), 0-32767.
        case fifteenBit(UInt16)

        /// The numeric value.
        public var value: UInt16 {
            switch self {
            case .sevenBit(let value): return UInt16(value)
            case .fifteenBit(let value): return value
            }
        }
    }

    /// N: the frame is not used as a reference by any other frame.
    public var isNonReference: Bool
    /// S: this packet starts a VP8 partition.
    public var isStartOfPartition: Bool
    /// PID: the partition index (0-7).
    public var partitionIndex: UInt8
    /// I: the picture ID, if present.
    public var pictureID: PictureID?
    /// L: the temporal level zero picture index, if present.
    public var tl0PictureIndex: UInt8?
    /// T: the temporal layer index (0-3), if present.
    public var temporalLayerIndex: UInt8?
    /// Y: the layer sync bit (written only with a temporal layer index).
    public var isLayerSync: Bool
    /// K: the temporal key frame index (0-31), if present.
    public var keyIndex: UInt8?

    /// Creates a descriptor.
    public init(
        isNonReference: Bool = false,
        isStartOfPartition: Bool = false,
        partitionIndex: UInt8 = 0,
        pictureID: PictureID? = nil,
        tl0PictureIndex: UInt8? = nil,
        temporalLayerIndex: UInt8? = nil,
        isLayerSync: Bool = false,
        keyIndex: UInt8? = nil
    ) {
        self.isNonReference = isNonReference
        self.isStartOfPartition = isStartOfPartition
        self.partitionIndex = partitionIndex
        self.pictureID = pictureID
        self.tl0PictureIndex = tl0PictureIndex
        self.temporalLayerIndex = temporalLayerIndex
        self.isLayerSync = isLayerSync
        self.keyIndex = keyIndex
    }

    /// Whether this packet starts a frame: S set and PID 0.
    public var isStartOfFrame: Bool { isStartOfPartition && partitionIndex == 0 }

    /// Parses the descriptor at the start of a VP8 payload; the bytes after it are ignored.
    ///
    /// - Throws: ``RTPError/Code/malformedPayload`` when the payload ends inside the descriptor.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try Self.parse(bytes).descriptor
    }

    /// Parses the descriptor at the start of a VP8 payload and returns it with
    /// its size in bytes (where the VP8 data begins).
    ///
    /// - Throws: ``RTPError/Code/malformedPayload`` when the payload ends inside the descriptor.
    public static func parse(_ bytes: some Collection<UInt8>) throws(RTPError) -> (descriptor: VP8PayloadDescriptor, size: Int) {
        try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> (descriptor: VP8PayloadDescriptor, size: Int) in
            guard let result = parse(buffer) else {
                throw RTPError(.malformedPayload, "VP8 payload of \(buffer.count) bytes ends inside its payload descriptor")
            }
            return result
        }
    }

    /// Parses without building an error; nil when the bytes end inside the descriptor.
    static func parse(_ buffer: UnsafeRawBufferPointer) -> (descriptor: VP8PayloadDescriptor, size: Int)? {
        guard buffer.count >= 1 else { return nil }
        let first = buffer[0]
        var descriptor = VP8PayloadDescriptor(
            isNonReference: first & 0x20 != 0,
            isStartOfPartition: first & 0x10 != 0,
            partitionIndex: first & 0x07)
        var offset = 1
        guard first & 0x80 != 0 else { return (descriptor, offset) }
        guard offset < buffer.count else { return nil }
        let flags = buffer[offset]
        offset += 1
        if flags & 0x80 != 0 {
            guard offset < buffer.count else { return nil }
            let high = buffer[offset]
            offset += 1
            if high & 0x80 != 0 {
                guard offset < buffer.count else { return nil }
                descriptor.pictureID = .fifteenBit(UInt16(high & 0x7F) << 8 | UInt16(buffer[offset]))
                offset += 1
            } else {
                descriptor.pictureID = .sevenBit(high)
            }
        }
        if flags & 0x40 != 0 {
            guard offset < buffer.count else { return nil }
            descriptor.tl0PictureIndex = buffer[offset]
            offset += 1
        }
        let hasTemporalLayer = flags & 0x20 != 0
        let hasKeyIndex = flags & 0x10 != 0
        if hasTemporalLayer || hasKeyIndex {
            guard offset < buffer.count else { return nil }
            let byte = buffer[offset]
            offset += 1
            if hasTemporalLayer {
                descriptor.temporalLayerIndex = byte >> 6
                descriptor.isLayerSync = byte & 0x20 != 0
            }
            if hasKeyIndex {
                descriptor.keyIndex = byte & 0x1F
            }
        }
        return (descriptor, offset)
    }

    private var hasExtension: Bool {
        pictureID != nil || tl0PictureIndex != nil || temporalLayerIndex != nil || keyIndex != nil
    }

    /// The size on the wire (1-6 bytes). The X byte is written only when an
    /// optional field is present, so a parsed descriptor that carried an empty
    /// X byte comes out one byte shorter.
    public var serializedSize: Int {
        guard hasExtension else { return 1 }
        var size = 2
        switch pictureID {
        case .sevenBit: size += 1
        case .fifteenBit: size += 2
        case nil: break
        }
        if tl0PictureIndex != nil { size += 1 }
        if temporalLayerIndex != nil || keyIndex != nil { size += 1 }
        return size
    }

    /// Appends the descriptor to `buffer`.
    ///
    /// - Precondition: every field is in its range (PID 0-7, 7-bit picture ID
    ///   0-127, 15-bit 0-32767, TID 0-3, KEYIDX 0-31).
    public func serialize(into buffer: inout [UInt8]) {
        precondition(partitionIndex <= 7, "VP8 PID is 3 bits")
        var first = partitionIndex
        if isNonReference { first |= 0x20 }
        if isStartOfPartition { first |= 0x10 }
        guard hasExtension else {
            buffer.append(first)
            return
        }
        buffer.append(first | 0x80)
        var flags: UInt8 = 0
        if pictureID != nil { flags |= 0x80 }
        if tl0PictureIndex != nil { flags |= 0x40 }
        if temporalLayerIndex != nil { flags |= 0x20 }
        if keyIndex != nil { flags |= 0x10 }
        buffer.append(flags)
        switch pictureID {
        case .sevenBit(let value):
            precondition(value <= 0x7F, "a 7-bit VP8 picture ID is 0-127")
            buffer.append(value)
        case .fifteenBit(let value):
            precondition(value <= 0x7FFF, "a 15-bit VP8 picture ID is 0-32767")
            buffer.append(0x80 | UInt8(value >> 8))
            buffer.append(UInt8(truncatingIfNeeded: value))
        case nil:
            break
        }
        if let tl0PictureIndex {
            buffer.append(tl0PictureIndex)
        }
        if temporalLayerIndex != nil || keyIndex != nil {
            var byte: UInt8 = 0
            if let temporalLayerIndex {
                precondition(temporalLayerIndex <= 3, "VP8 TID is 2 bits")
                byte |= temporalLayerIndex << 6
                if isLayerSync { byte |= 0x20 }
            }
            if let keyIndex {
                precondition(keyIndex <= 0x1F, "VP8 KEYIDX is 5 bits")
                byte |= keyIndex
            }
            buffer.append(byte)
        }
    }

    /// The descriptor as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }
}
