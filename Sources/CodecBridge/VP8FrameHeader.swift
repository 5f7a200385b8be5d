/// The uncompressed header at the start of every VP8 frame (RFC 6386, section
/// 9.1): the 3-byte frame tag and, on key frames, the start code and picture size.
///
/// A receiver can read it without decoding, for example to see whether an
/// assembled frame is a key frame or what size it has.
public struct VP8FrameHeader: Sendable, Hashable {
    /// Whether the frame is a key frame (the tag's first bit is 0).
    public var isKeyFrame: Bool
    /// The bitstream version, 0 to 3 (the reconstruction filter profile).
    public var version: Int
    /// Whether the decoder shows the frame (alternate reference frames are not shown).
    public var showFrame: Bool
    /// The size of the first partition in bytes, after this header.
    public var firstPartitionSize: Int
    /// The picture width in pixels (key frames only).
    public var width: Int?
    /// The picture height in pixels (key frames only).
    public var height: Int?
    /// The horizontal upscaling code, 0 to 3 (key frames only).
    public var horizontalScale: Int?
    /// The vertical upscaling code, 0 to 3 (key frames only).
    public var verticalScale: Int?

    /// The three bytes every key frame carries after the frame tag.
    public static let keyFrameStartCode: [UInt8] = [0x9D, 0x01, 0x2A]

    /// The header's size in bytes: 10 for key frames, 3 for inter frames.
    public var serializedSize: Int { isKeyFrame ? 10 : 3 }

    /// Reads the header at the start of a VP8 frame and checks that the frame is
    /// long enough to hold its first partition.
    ///
    /// - Throws: ``CodecError/Code/truncatedFrame`` if the frame is shorter than its
    ///   header or first partition; ``CodecError/Code/corruptFrame`` for a key
    ///   frame without the start code or with a zero width or height.
    public init(parsing bytes: some Collection<UInt8>) throws {
        var iterator = bytes.makeIterator()
        var header = [UInt8]()
        header.reserveCapacity(10)
        while header.count < 10, let byte = iterator.next() { header.append(byte) }
        guard header.count >= 3 else {
            throw CodecError(.truncatedFrame, "a VP8 frame needs a 3-byte frame tag, got \(header.count) bytes")
        }
        let tag = Int(header[0]) | Int(header[1]) << 8 | Int(header[2]) << 16
        isKeyFrame = tag & 1 == 0
        version = (tag >> 1) & 0x7
        showFrame = (tag >> 4) & 1 == 1
        firstPartitionSize = tag >> 5
        guard version <= 3 else {
            throw CodecError(.corruptFrame, "VP8 version \(version) does not exist")
        }
        if isKeyFrame {
            guard header.count == 10 else {
                throw CodecError(.truncatedFrame, "a VP8 key frame needs a 10-byte header, got \(header.count) bytes")
            }
            guard Array(header[3..<6]) == Self.keyFrameStartCode else {
                throw CodecError(.corruptFrame, "the VP8 key frame start code is missing")
            }
            let widthField = Int(header[6]) | Int(header[7]) << 8
            let heightField = Int(header[8]) | Int(header[9]) << 8
            width = widthField & 0x3FFF
            height = heightField & 0x3FFF
            horizontalScale = widthField >> 14
            verticalScale = heightField >> 14
            guard width != 0, height != 0 else {
                throw CodecError(.corruptFrame, "the VP8 key frame has a zero width or height")
            }
        } else {
            width = nil
            height = nil
            horizontalScale = nil
            verticalScale = nil
        }
        let available = bytes.count - serializedSize
        guard firstPartitionSize <= available else {
            throw CodecError(
                .truncatedFrame,
                "the VP8 first partition claims \(firstPartitionSize) bytes but \(available) follow the header"
            )
        }
    }
}
