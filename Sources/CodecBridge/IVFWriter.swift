/// Writes compressed video frames into an IVF file (playable by ffmpeg, VLC and
/// libvpx's tools). The header's length field is patched when the writer closes.
///
/// Call ``close()`` when done; a writer that is dropped unclosed leaves the
/// length at zero (players still play such files, without a known duration).
/// Not `Sendable`: one owner.
public final class IVFWriter {
    /// The header as written (its length is patched on close).
    public private(set) var header: IVFFileHeader
    /// The number of frames written so far.
    public private(set) var frameCount = 0
    private let file: FileWriter
    private var scratch: [UInt8] = []
    private var firstPTS: Int64?
    private var lastPTS: Int64?

    /// Creates (or replaces) the file at `path` and writes its header.
    ///
    /// - Parameters:
    ///   - fourCC: "VP80" for VP8.
    ///   - timebaseNumerator, timebaseDenominator: the length of one pts tick in
    ///     seconds, by default 1/90,000 (the RTP video clock).
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for an invalid header,
    ///   ``CodecError/Code/fileAccessFailed`` if the file cannot be created.
    public init(
        path: String, fourCC: String = "VP80", width: Int, height: Int,
        timebaseNumerator: Int = 1, timebaseDenominator: Int = 90_000
    ) throws {
        header = try IVFFileHeader(
            fourCC: fourCC, width: width, height: height,
            timebaseNumerator: timebaseNumerator, timebaseDenominator: timebaseDenominator
        )
        file = try FileWriter(path: path)
        try file.write(header.serialized())
    }

    /// Appends a frame with its timestamp converted to the file's time base.
    public func write(_ frame: EncodedVideoFrame) throws {
        let pts = MediaTime.ticks(frame.timestamp / header.timebaseNumerator, clockRate: header.timebaseDenominator)
        try write(frameData: frame.data, pts: pts)
    }

    /// Appends a frame with an explicit pts in time base ticks.
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` for a frame of 4 GiB or more,
    ///   ``CodecError/Code/fileAccessFailed`` if writing fails or the writer is closed.
    public func write(frameData: [UInt8], pts: Int64) throws {
        guard frameData.count <= Int(UInt32.max) else {
            throw CodecError(.invalidInput, "an IVF frame cannot hold \(frameData.count) bytes")
        }
        scratch.removeAll(keepingCapacity: true)
        IVFFrameHeader(frameSize: frameData.count, pts: pts).serialize(into: &scratch)
        scratch.append(contentsOf: frameData)
        try file.write(scratch)
        frameCount += 1
        if firstPTS == nil { firstPTS = pts }
        lastPTS = pts
    }

    /// Patches the length into the header and closes the file. Closing twice does nothing.
    ///
    /// The length is the frame count times the mean spacing of the pts values:
    /// the duration in ticks that ffmpeg reads, and the frame count that
    /// libvpx's tools expect when the time base is one frame period.
    public func close() throws {
        guard file.isOpen else { return }
        header.length = Self.length(frameCount: frameCount, firstPTS: firstPTS, lastPTS: lastPTS)
        var field: [UInt8] = []
        LittleEndian.append(UInt32(header.length), to: &field)
        try file.patch(field, at: 24)
        try file.close()
    }

    /// Frame count × mean pts step, clamped to the 32-bit field; 0 when unknown.
    static func length(frameCount: Int, firstPTS: Int64?, lastPTS: Int64?) -> Int {
        guard frameCount > 1, let firstPTS, let lastPTS, lastPTS > firstPTS else { return 0 }
        let span = Int128(lastPTS) - Int128(firstPTS)
        let length = span * Int128(frameCount) / Int128(frameCount - 1)
        return Int(min(length, Int128(UInt32.max)))
    }
}
