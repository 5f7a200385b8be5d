/// One frame read from an IVF file.
public struct IVFFrame: Sendable, Hashable {
    /// The compressed bytes.
    public var data: [UInt8]
    /// The presentation time in ticks of the file's time base.
    public var pts: Int64
    /// The presentation time (pts × time base).
    public var timestamp: Duration

    /// Creates a frame.
    public init(data: [UInt8], pts: Int64, timestamp: Duration) {
        self.data = data
        self.pts = pts
        self.timestamp = timestamp
    }
}

/// Reads an IVF file frame by frame (memory holds one frame at a time).
/// Not `Sendable`: one owner.
public final class IVFReader {
    /// The default limit on one frame's size: 16 MiB.
    public static let defaultMaximumFrameSize = 16 * 1024 * 1024

    /// The file's header.
    public let header: IVFFileHeader
    private let file: FileReader
    private let maximumFrameSize: Int

    /// Opens `path` and reads its header.
    ///
    /// - Parameter maximumFrameSize: frames claiming more bytes are rejected as malformed.
    /// - Throws: ``CodecError/Code/fileAccessFailed``, ``CodecError/Code/truncatedFile``
    ///   or ``CodecError/Code/malformedHeader``.
    public init(path: String, maximumFrameSize: Int = IVFReader.defaultMaximumFrameSize) throws {
        file = try FileReader(path: path)
        self.maximumFrameSize = maximumFrameSize
        let headerBytes = try file.read(count: IVFFileHeader.size)
        header = try IVFFileHeader(parsing: headerBytes)
        // Skip whatever a longer header holds beyond the 32 bytes we know.
        let headerSize = Int(LittleEndian.uint16(headerBytes, at: 6))
        if headerSize > IVFFileHeader.size {
            let extra = try file.read(count: headerSize - IVFFileHeader.size)
            guard extra.count == headerSize - IVFFileHeader.size else {
                throw CodecError(.truncatedFile, "the file ends inside its \(headerSize)-byte IVF header")
            }
        }
    }

    /// The next frame, or `nil` at the end of the file.
    ///
    /// - Throws: ``CodecError/Code/truncatedFile`` if the file ends inside a frame,
    ///   ``CodecError/Code/malformedHeader`` for a frame larger than the limit.
    public func nextFrame() throws -> IVFFrame? {
        let headerBytes = try file.read(count: IVFFrameHeader.size)
        if headerBytes.isEmpty { return nil }
        let frameHeader = try IVFFrameHeader(parsing: headerBytes)
        guard frameHeader.frameSize <= maximumFrameSize else {
            throw CodecError(
                .malformedHeader,
                "an IVF frame claims \(frameHeader.frameSize) bytes, over the \(maximumFrameSize)-byte limit"
            )
        }
        let data = try file.read(count: frameHeader.frameSize)
        guard data.count == frameHeader.frameSize else {
            throw CodecError(
                .truncatedFile,
                "the file ends \(data.count) bytes into a frame of \(frameHeader.frameSize) bytes"
            )
        }
        let timestamp = MediaTime.duration(
            ticks: frameHeader.pts,
            timebaseNumerator: header.timebaseNumerator,
            timebaseDenominator: header.timebaseDenominator
        )
        return IVFFrame(data: data, pts: frameHeader.pts, timestamp: timestamp)
    }

    /// Closes the file; later reads throw ``CodecError/Code/fileAccessFailed``.
    public func close() {
        file.close()
    }
}
