/// Writes interleaved 16-bit PCM into a WAV file that any player reads,
/// streaming the samples to disk as they come.
///
/// Until ``close()`` the header's RIFF and data sizes are 0xFFFFFFFF
/// (``WAVHeader/unknownDataSize``: "up to the end of the file"), so a reader
/// such as ``WAVReader`` or ffmpeg can follow the file while it is written, and
/// a writer that is dropped unclosed still leaves a readable file. Closing
/// patches the real sizes in. Not `Sendable`: one owner.
public final class WAVWriter {
    /// The sample rate in Hz.
    public let sampleRate: Int
    /// The number of interleaved channels.
    public let channelCount: Int
    /// The number of samples per channel written so far.
    public private(set) var samplesWritten = 0
    private let emptyHeader: WAVHeader
    private let file: FileWriter
    private var scratch: [UInt8] = []

    /// Creates (or replaces) the file at `path` and writes its header.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for a sample rate outside
    ///   1...``AudioFrame/maximumSampleRate`` or a channel count outside
    ///   1...``AudioFrame/maximumChannelCount``; ``CodecError/Code/fileAccessFailed``.
    public init(path: String, sampleRate: Int, channelCount: Int) throws {
        emptyHeader = try WAVHeader(sampleRate: sampleRate, channelCount: channelCount)
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        file = try FileWriter(path: path)
        var streaming = emptyHeader
        streaming.dataByteCount = WAVHeader.unknownDataSize
        try file.write(streaming.serialized())
    }

    /// The header the file gets when it closes: the data size so far.
    public var header: WAVHeader {
        var header = emptyHeader
        header.dataByteCount = dataByteCount
        return header
    }

    private var dataByteCount: Int { samplesWritten * channelCount * 2 }

    /// Appends interleaved samples (a whole number of sampling instants).
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` if the count is not a multiple
    ///   of the channel count or the data would pass ``WAVHeader/maximumDataSize``
    ///   (about 4 GiB); ``CodecError/Code/fileAccessFailed`` if writing fails or
    ///   the writer is closed.
    public func write(_ samples: [Int16]) throws {
        guard samples.count % channelCount == 0 else {
            throw CodecError(
                .invalidInput, "\(samples.count) samples are not a whole number of \(channelCount)-channel instants"
            )
        }
        guard samples.count <= (WAVHeader.maximumDataSize - dataByteCount) / 2 else {
            throw CodecError(.invalidInput, "a WAV file cannot hold more than \(WAVHeader.maximumDataSize) bytes of samples")
        }
        guard !samples.isEmpty else { return }
        scratch.removeAll(keepingCapacity: true)
        scratch.reserveCapacity(samples.count * 2)
        for sample in samples {
            let bits = UInt16(bitPattern: sample)
            scratch.append(UInt8(truncatingIfNeeded: bits))
            scratch.append(UInt8(truncatingIfNeeded: bits >> 8))
        }
        try file.write(scratch)
        samplesWritten += samples.count / channelCount
    }

    /// Appends a frame's samples (its timestamp is not stored).
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` if the frame's sample rate or
    ///   channel count differs from the file's or its sample count is not a
    ///   multiple of its channel count; otherwise as for writing samples.
    public func write(_ frame: AudioFrame) throws {
        guard frame.sampleRate == sampleRate, frame.channelCount == channelCount else {
            throw CodecError(
                .invalidInput,
                "a \(frame.sampleRate) Hz \(frame.channelCount)-channel frame does not fit a \(sampleRate) Hz \(channelCount)-channel WAV file"
            )
        }
        try write(frame.samples)
    }

    /// Patches the RIFF and data sizes into the header and closes the file.
    /// Closing twice does nothing.
    public func close() throws {
        guard file.isOpen else { return }
        let header = header
        var riffSize: [UInt8] = []
        LittleEndian.append(UInt32(clamping: header.riffSize), to: &riffSize)
        var dataSize: [UInt8] = []
        LittleEndian.append(UInt32(clamping: header.dataByteCount), to: &dataSize)
        try file.patch(riffSize, at: 4)
        try file.patch(dataSize, at: 40)
        try file.close()
    }
}
