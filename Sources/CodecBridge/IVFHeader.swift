/// The 32-byte header at the start of an IVF file (the simple container libvpx
/// tools, ffmpeg and VLC read for raw VP8/VP9/AV1 streams). All fields are little-endian:
///
/// ```
/// 0  "DKIF"   4  version (0)   6  header size (32)   8  fourcc ("VP80")
/// 12 width    14 height        16 time base denominator ("rate")
/// 20 time base numerator ("scale")   24 length   28 unused
/// ```
///
/// The length field is read two ways: libvpx's tools write the frame count
/// (their time base is one frame period), ffmpeg reads and writes the
/// duration in time base ticks. ``IVFWriter`` writes frame count × mean frame
/// spacing, which satisfies both.
public struct IVFFileHeader: Sendable, Hashable {
    /// The size of the header in bytes.
    public static let size = 32
    /// The file signature.
    public static let signature: [UInt8] = Array("DKIF".utf8)

    /// The codec's four-character code: "VP80" for VP8.
    public var fourCC: String
    /// The picture width in pixels.
    public var width: Int
    /// The picture height in pixels.
    public var height: Int
    /// The time base denominator ("rate"): ticks per `timebaseNumerator` seconds.
    public var timebaseDenominator: Int
    /// The time base numerator ("scale"); one tick of a frame's pts lasts
    /// `timebaseNumerator / timebaseDenominator` seconds.
    public var timebaseNumerator: Int
    /// The stream's length in time base ticks, which is its frame count when the
    /// time base is one frame period (the writer patches it on close; readers
    /// should not rely on it, and ``IVFReader`` does not).
    public var length: Int

    /// The header's size: 32.
    public var serializedSize: Int { Self.size }

    /// Creates a header.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` if the four-character code
    ///   is not four ASCII characters or a number does not fit its field (width and
    ///   height 1...65,535, time base 1...2³²-1, length 0...2³²-1).
    public init(
        fourCC: String = "VP80", width: Int, height: Int,
        timebaseNumerator: Int = 1, timebaseDenominator: Int = 90_000, length: Int = 0
    ) throws {
        guard fourCC.utf8.count == 4, fourCC.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw CodecError(.invalidConfiguration, "the IVF fourcc must be four ASCII characters, not \"\(fourCC)\"")
        }
        guard (1...Int(UInt16.max)).contains(width), (1...Int(UInt16.max)).contains(height) else {
            throw CodecError(.invalidConfiguration, "IVF cannot hold a \(width)x\(height) picture size")
        }
        guard (1...Int(UInt32.max)).contains(timebaseNumerator), (1...Int(UInt32.max)).contains(timebaseDenominator) else {
            throw CodecError(.invalidConfiguration, "the IVF time base \(timebaseNumerator)/\(timebaseDenominator) is out of range")
        }
        guard (0...Int(UInt32.max)).contains(length) else {
            throw CodecError(.invalidConfiguration, "the IVF length \(length) is out of range")
        }
        self.fourCC = fourCC
        self.width = width
        self.height = height
        self.timebaseNumerator = timebaseNumerator
        self.timebaseDenominator = timebaseDenominator
        self.length = length
    }

    /// Reads a header from the first 32 bytes of `bytes`.
    ///
    /// - Throws: ``CodecError/Code/truncatedFile`` for fewer than 32 bytes,
    ///   ``CodecError/Code/malformedHeader`` for a wrong signature, a version other
    ///   than 0, a header size below 32, a zero size or a zero time base.
    public init(parsing bytes: some Collection<UInt8>) throws {
        let header = Array(bytes.prefix(Self.size))
        guard header.count == Self.size else {
            throw CodecError(.truncatedFile, "an IVF header is 32 bytes, got \(header.count)")
        }
        guard Array(header[0..<4]) == Self.signature else {
            throw CodecError(.malformedHeader, "not an IVF file (no DKIF signature)")
        }
        let version = LittleEndian.uint16(header, at: 4)
        guard version == 0 else {
            throw CodecError(.malformedHeader, "IVF version \(version) is not supported")
        }
        let headerSize = LittleEndian.uint16(header, at: 6)
        guard headerSize >= Self.size else {
            throw CodecError(.malformedHeader, "the IVF header size \(headerSize) is below 32")
        }
        fourCC = String(decoding: header[8..<12], as: UTF8.self)
        width = Int(LittleEndian.uint16(header, at: 12))
        height = Int(LittleEndian.uint16(header, at: 14))
        timebaseDenominator = Int(LittleEndian.uint32(header, at: 16))
        timebaseNumerator = Int(LittleEndian.uint32(header, at: 20))
        length = Int(LittleEndian.uint32(header, at: 24))
        guard width > 0, height > 0 else {
            throw CodecError(.malformedHeader, "the IVF picture size \(width)x\(height) is empty")
        }
        guard timebaseNumerator > 0, timebaseDenominator > 0 else {
            throw CodecError(.malformedHeader, "the IVF time base \(timebaseNumerator)/\(timebaseDenominator) is invalid")
        }
    }

    /// Appends the 32 header bytes to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: Self.signature)
        LittleEndian.append(UInt16(0), to: &buffer)
        LittleEndian.append(UInt16(Self.size), to: &buffer)
        var code = Array(fourCC.utf8.prefix(4))
        while code.count < 4 { code.append(0x20) }
        buffer.append(contentsOf: code)
        LittleEndian.append(UInt16(clamping: width), to: &buffer)
        LittleEndian.append(UInt16(clamping: height), to: &buffer)
        LittleEndian.append(UInt32(clamping: timebaseDenominator), to: &buffer)
        LittleEndian.append(UInt32(clamping: timebaseNumerator), to: &buffer)
        LittleEndian.append(UInt32(clamping: length), to: &buffer)
        LittleEndian.append(UInt32(0), to: &buffer)
    }

    /// The 32 header bytes.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.size)
        serialize(into: &buffer)
        return buffer
    }
}

/// The 12-byte header before each frame of an IVF file: the frame's size
/// (little-endian 32 bits) and presentation time in time base ticks
/// (little-endian 64 bits).
public struct IVFFrameHeader: Sendable, Hashable {
    /// The size of the header in bytes.
    public static let size = 12

    /// The number of frame bytes that follow the header.
    public var frameSize: Int
    /// The presentation time in ticks of the file's time base.
    public var pts: Int64

    /// The header's size: 12.
    public var serializedSize: Int { Self.size }

    /// Creates a frame header.
    public init(frameSize: Int, pts: Int64) {
        self.frameSize = frameSize
        self.pts = pts
    }

    /// Reads a frame header from the first 12 bytes of `bytes`.
    ///
    /// - Throws: ``CodecError/Code/truncatedFile`` for fewer than 12 bytes.
    public init(parsing bytes: some Collection<UInt8>) throws {
        let header = Array(bytes.prefix(Self.size))
        guard header.count == Self.size else {
            throw CodecError(.truncatedFile, "an IVF frame header is 12 bytes, got \(header.count)")
        }
        frameSize = Int(LittleEndian.uint32(header, at: 0))
        pts = Int64(bitPattern: LittleEndian.uint64(header, at: 4))
    }

    /// Appends the 12 header bytes to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        LittleEndian.append(UInt32(clamping: frameSize), to: &buffer)
        LittleEndian.append(UInt64(bitPattern: pts), to: &buffer)
    }

    /// The 12 header bytes.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.size)
        serialize(into: &buffer)
        return buffer
    }
}
