/// Writes I420 frames into a YUV4MPEG2 (Y4M) file that ffmpeg, mpv and libvpx's
/// tools read. Not `Sendable`: one owner.
public final class Y4MWriter {
    /// The header written at the start of the file.
    public let header: Y4MHeader
    /// The number of frames written so far.
    public private(set) var frameCount = 0
    private let file: FileWriter
    private var scratch: [UInt8] = []

    /// Creates (or replaces) the file at `path` and writes `header`.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for a header whose size
    ///   is out of range or whose colour space is not 8-bit 4:2:0;
    ///   ``CodecError/Code/fileAccessFailed``.
    public init(path: String, header: Y4MHeader) throws {
        guard I420Frame.isValidDimension(header.width), I420Frame.isValidDimension(header.height) else {
            throw CodecError(.invalidConfiguration, "a Y4M picture of \(header.width)x\(header.height) is out of range")
        }
        if let colorSpace = header.colorSpace, !Y4MHeader.supportedColorSpaces.contains(colorSpace) {
            throw CodecError(.invalidConfiguration, "the Y4M writer only writes 4:2:0, not \(colorSpace)")
        }
        self.header = header
        file = try FileWriter(path: path)
        try file.write(header.serialized())
    }

    /// Creates (or replaces) the file at `path` for progressive I420 pictures of
    /// the given size and frame rate (`frameRateNumerator / frameRateDenominator` fps).
    public convenience init(
        path: String, width: Int, height: Int, frameRateNumerator: Int = 30, frameRateDenominator: Int = 1
    ) throws {
        try self.init(
            path: path,
            header: Y4MHeader(
                width: width, height: height,
                frameRate: .init(frameRateNumerator, frameRateDenominator)
            )
        )
    }

    /// Appends a frame.
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` if the frame's size differs from
    ///   the header's or its planes are malformed; ``CodecError/Code/fileAccessFailed``.
    public func write(_ frame: I420Frame) throws {
        guard frame.width == header.width, frame.height == header.height, frame.hasValidPlanes else {
            throw CodecError(
                .invalidInput,
                "a \(frame.width)x\(frame.height) frame does not fit a \(header.width)x\(header.height) Y4M file"
            )
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: "FRAME\n".utf8)
        scratch.append(contentsOf: frame.y)
        scratch.append(contentsOf: frame.u)
        scratch.append(contentsOf: frame.v)
        try file.write(scratch)
        frameCount += 1
    }

    /// Closes the file. Closing twice does nothing.
    public func close() throws {
        try file.close()
    }
}
