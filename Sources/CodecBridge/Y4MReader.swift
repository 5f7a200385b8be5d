/// Reads I420 frames from a YUV4MPEG2 (Y4M) file, one frame in memory at a time.
///
/// Frame `n` gets the timestamp `n / frameRate` (the header's `F`, or 25 fps
/// without one); when looping, numbering continues across passes so time keeps
/// increasing. Not `Sendable`: one owner.
public final class Y4MReader: VideoFrameSource {
    /// The longest header or `FRAME` line accepted, in bytes.
    public static let maximumLineLength = 64 * 1024

    /// The file's header.
    public let header: Y4MHeader
    /// Whether the reader starts over at the first frame when the file ends.
    public let loops: Bool
    /// The number of frames returned so far (across loops).
    public private(set) var framesRead = 0

    private let file: FileReader
    private let firstFrameOffset: UInt64
    private var framesReadThisPass = 0

    /// Opens `path` and reads its header.
    ///
    /// - Throws: ``CodecError/Code/fileAccessFailed``, ``CodecError/Code/truncatedFile``,
    ///   ``CodecError/Code/malformedHeader`` or ``CodecError/Code/unsupportedColorSpace``.
    public init(path: String, loops: Bool = false) throws {
        file = try FileReader(path: path)
        guard let line = try file.readLine(maximumLength: Self.maximumLineLength, what: "Y4M header") else {
            throw CodecError(.truncatedFile, "\(path) is empty")
        }
        header = try Y4MHeader(parsing: line)
        firstFrameOffset = file.offset
        self.loops = loops
    }

    /// The next frame, or `nil` at the end of the file (never, when looping over
    /// a file with at least one frame).
    ///
    /// - Throws: ``CodecError/Code/malformedHeader`` for a line that is not a
    ///   `FRAME` line, ``CodecError/Code/truncatedFile`` if the file ends inside a frame.
    public func nextFrame() throws -> I420Frame? {
        var nextLine = try file.readLine(maximumLength: Self.maximumLineLength, what: "FRAME line")
        if nextLine == nil, loops, framesReadThisPass > 0 {
            try file.seek(to: firstFrameOffset)
            framesReadThisPass = 0
            nextLine = try file.readLine(maximumLength: Self.maximumLineLength, what: "FRAME line")
        }
        guard let line = nextLine else { return nil }
        let tag = Array("FRAME".utf8)
        guard line.starts(with: tag), line.count == tag.count || line[tag.count] == 0x20 else {
            throw CodecError(.malformedHeader, "expected a FRAME line in the Y4M file")
        }
        let width = header.width
        let height = header.height
        let lumaCount = width * height
        let chromaCount = I420Frame.chromaSize(of: width) * I420Frame.chromaSize(of: height)
        let data = try file.read(count: lumaCount + 2 * chromaCount)
        guard data.count == lumaCount + 2 * chromaCount else {
            throw CodecError(
                .truncatedFile,
                "the file ends \(data.count) bytes into a \(lumaCount + 2 * chromaCount)-byte frame"
            )
        }
        let rate = header.effectiveFrameRate
        let timestamp = MediaTime.duration(
            ticks: Int64(framesRead), timebaseNumerator: rate.denominator, timebaseDenominator: rate.numerator
        )
        let frame = try I420Frame(
            width: width, height: height,
            y: Array(data[0..<lumaCount]),
            u: Array(data[lumaCount..<(lumaCount + chromaCount)]),
            v: Array(data[(lumaCount + chromaCount)...]),
            timestamp: timestamp
        )
        framesRead += 1
        framesReadThisPass += 1
        return frame
    }

    /// The next frame, or `nil` at the end (the same as ``nextFrame()``).
    public func readFrame() throws -> I420Frame? {
        try nextFrame()
    }

    /// Closes the file; later reads throw ``CodecError/Code/fileAccessFailed``.
    public func close() {
        file.close()
    }
}
