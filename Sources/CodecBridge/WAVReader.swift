/// Reads a WAV file of 16-bit PCM as ``AudioFrame``s of a fixed length, one
/// frame in memory at a time.
///
/// Frame `n` holds samples `n × samplesPerFrame ..< (n + 1) × samplesPerFrame`
/// (per channel) and has the timestamp `n × samplesPerFrame / sampleRate`.
/// Without looping, a final partial frame is padded with silence and then the
/// reader ends. With looping, a frame that reaches the end of the data carries
/// on from its start, so frames stay full and time keeps increasing.
///
/// A data size of 0xFFFFFFFF (``WAVHeader/unknownDataSize``, a file still being
/// streamed) means "up to the end of the file"; otherwise the reader reads
/// exactly the data chunk (a trailing partial sampling instant is ignored) and
/// throws if the file ends first. Not `Sendable`: one owner.
public final class WAVReader: AudioFrameSource {
    /// The file's format and data size.
    public let header: WAVHeader
    /// The file offset of the first sample byte.
    public let dataOffset: Int
    /// Whether the reader starts over at the first sample when the data ends.
    public let loops: Bool
    /// The number of samples per channel in each frame.
    public let samplesPerFrame: Int
    /// The number of frames returned so far (across loops).
    public private(set) var framesRead = 0

    private let file: FileReader
    /// The whole sampling instants' bytes in the data chunk, or `nil` if unknown.
    private let dataBytesPerPass: Int?
    /// The bytes left in this pass, or `nil` if the size is unknown.
    private var bytesLeftThisPass: Int?
    private var bytesReadThisPass = 0
    private var ended = false

    /// The sample rate in Hz.
    public var sampleRate: Int { header.sampleRate }
    /// The number of interleaved channels.
    public var channelCount: Int { header.channelCount }
    /// The length of one frame: ``samplesPerFrame`` / ``sampleRate``.
    public var frameDuration: Duration {
        MediaTime.duration(ticks: Int64(samplesPerFrame), clockRate: sampleRate)
    }

    /// Opens `path` and reads its header.
    ///
    /// - Parameters:
    ///   - loops: whether to start over at the first sample when the data ends.
    ///   - samplesPerFrame: samples per channel in each frame, 1 to
    ///     ``AudioFrame/maximumSamplesPerChannel``; by default 20 ms' worth
    ///     (sample rate / 50, at least 1).
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for a frame length out of
    ///   range; ``CodecError/Code/fileAccessFailed``, ``CodecError/Code/truncatedFile``
    ///   or ``CodecError/Code/malformedHeader`` as for ``WAVHeader/init(parsing:)``.
    public init(path: String, loops: Bool = false, samplesPerFrame: Int? = nil) throws {
        if let samplesPerFrame, !(1...AudioFrame.maximumSamplesPerChannel).contains(samplesPerFrame) {
            throw CodecError(
                .invalidConfiguration,
                "\(samplesPerFrame) samples per frame is not 1 to \(AudioFrame.maximumSamplesPerChannel)"
            )
        }
        var input = try FileReader(path: path)
        (header, dataOffset) = try WAVHeader.parse(from: &input)
        file = input
        self.loops = loops
        self.samplesPerFrame = samplesPerFrame ?? max(1, header.sampleRate / 50)
        let blockAlign = header.blockAlign
        dataBytesPerPass = header.hasUnknownDataSize ? nil : header.dataByteCount / blockAlign * blockAlign
        bytesLeftThisPass = dataBytesPerPass
    }

    /// The next frame, or `nil` once the data has ended (never, when looping
    /// over a file with at least one sampling instant).
    ///
    /// - Throws: ``CodecError/Code/truncatedFile`` if the file ends inside the
    ///   data chunk; ``CodecError/Code/fileAccessFailed``.
    public func nextFrame() throws -> AudioFrame? {
        if ended { return nil }
        let wanted = samplesPerFrame * header.blockAlign
        var bytes: [UInt8] = []
        bytes.reserveCapacity(wanted)
        while bytes.count < wanted {
            let piece = try readData(upTo: wanted - bytes.count)
            if piece.isEmpty {
                guard loops, bytesReadThisPass > 0 else { break }
                try rewind()
                continue
            }
            bytes.append(contentsOf: piece)
        }
        guard !bytes.isEmpty else {
            ended = true
            return nil
        }
        if bytes.count < wanted {
            ended = true
            bytes.append(contentsOf: repeatElement(0, count: wanted - bytes.count))
        }
        var samples = [Int16](repeating: 0, count: wanted / 2)
        for index in samples.indices {
            samples[index] = Int16(bitPattern: LittleEndian.uint16(bytes, at: 2 * index))
        }
        let timestamp = MediaTime.duration(ticks: Int64(framesRead) * Int64(samplesPerFrame), clockRate: sampleRate)
        framesRead += 1
        return AudioFrame(samples: samples, sampleRate: sampleRate, channelCount: channelCount, timestamp: timestamp)
    }

    /// The next frame, or `nil` at the end (the same as ``nextFrame()``).
    public func readFrame() throws -> AudioFrame? {
        try nextFrame()
    }

    /// Closes the file; later reads throw ``CodecError/Code/fileAccessFailed``
    /// (or return `nil` if the reader had already ended).
    public func close() {
        file.close()
    }

    /// Up to `count` bytes of whole sampling instants from this pass; empty at its end.
    private func readData(upTo count: Int) throws -> [UInt8] {
        let blockAlign = header.blockAlign
        let take = min(count, bytesLeftThisPass ?? count)
        guard take > 0 else { return [] }
        var bytes = try file.read(count: take)
        if let left = bytesLeftThisPass {
            guard bytes.count == take else {
                throw CodecError(
                    .truncatedFile,
                    "the file ends \(bytesReadThisPass + bytes.count) bytes into a \(header.dataByteCount)-byte WAV data chunk"
                )
            }
            bytesLeftThisPass = left - take
        } else if bytes.count < take {
            // Unknown size: the end of the file ends the data; drop a partial instant.
            bytes.removeLast(bytes.count % blockAlign)
        }
        bytesReadThisPass += bytes.count
        return bytes
    }

    /// Goes back to the first sample for the next pass.
    private func rewind() throws {
        try file.seek(to: UInt64(dataOffset))
        bytesLeftThisPass = dataBytesPerPass
        bytesReadThisPass = 0
    }
}
