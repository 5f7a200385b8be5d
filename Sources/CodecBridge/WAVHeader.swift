/// The format of a WAV file (RIFF/WAVE) of 16-bit little-endian PCM, and the
/// size of its `data` chunk.
///
/// ``serialized()`` writes the canonical 44-byte header:
///
/// ```
/// 0  "RIFF"  4  RIFF size (36 + data size)  8  "WAVE"
/// 12 "fmt "  16 16 (fmt size)  20 format tag 1 (PCM)  22 channels  24 sample rate
/// 28 byte rate  32 block align (channels × 2)  34 bits per sample (16)
/// 36 "data"  40 data size
/// ```
///
/// ``init(parsing:)`` reads more than that: a `fmt ` chunk with format tag 1 or
/// `WAVE_FORMAT_EXTENSIBLE` (0xFFFE) with the PCM subformat, and chunks it does
/// not know (`LIST`, `fact`, `JUNK`, ...) before `data`, which it skips.
public struct WAVHeader: Sendable, Hashable {
    /// The size of the canonical header ``serialized()`` writes.
    public static let size = 44
    /// The format tag of integer PCM (`WAVE_FORMAT_PCM`).
    public static let pcmFormatTag: UInt16 = 1
    /// The format tag of `WAVE_FORMAT_EXTENSIBLE`, whose subformat GUID gives the real format.
    public static let extensibleFormatTag: UInt16 = 0xFFFE
    /// The only sample size supported: 16 bits.
    public static let bitsPerSample = 16
    /// A data size meaning "unknown: the samples run to the end of the file",
    /// as written by streaming writers (0xFFFFFFFF; ``WAVWriter`` writes it until it closes).
    public static let unknownDataSize = Int(UInt32.max)
    /// The largest known data size: the RIFF size (36 + data size) must fit 32 bits.
    public static let maximumDataSize = Int(UInt32.max) - 36
    /// The largest `fmt ` chunk accepted, in bytes (a PCM one has 16 to 40).
    public static let maximumFormatChunkSize = 1_024
    /// The largest unknown chunk skipped before `data`, in bytes (16 MiB).
    public static let maximumSkippedChunkSize = 16 * 1024 * 1024

    /// The PCM subformat GUID of `WAVE_FORMAT_EXTENSIBLE`
    /// (00000001-0000-0010-8000-00AA00389B71, as stored).
    static let pcmSubformat: [UInt8] = [
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
    ]

    /// The sample rate in Hz.
    public var sampleRate: Int
    /// The number of interleaved channels.
    public var channelCount: Int
    /// The size of the `data` chunk in bytes, or ``unknownDataSize``.
    public var dataByteCount: Int

    /// Creates a header.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for a sample rate outside
    ///   1...``AudioFrame/maximumSampleRate``, a channel count outside
    ///   1...``AudioFrame/maximumChannelCount``, or a data size that is neither
    ///   ``unknownDataSize`` nor in 0...``maximumDataSize``.
    public init(sampleRate: Int, channelCount: Int, dataByteCount: Int = 0) throws {
        guard (1...AudioFrame.maximumSampleRate).contains(sampleRate) else {
            throw CodecError(.invalidConfiguration, "a WAV sample rate of \(sampleRate) Hz is out of range")
        }
        guard (1...AudioFrame.maximumChannelCount).contains(channelCount) else {
            throw CodecError(.invalidConfiguration, "a WAV channel count of \(channelCount) is out of range")
        }
        guard dataByteCount == Self.unknownDataSize || (0...Self.maximumDataSize).contains(dataByteCount) else {
            throw CodecError(.invalidConfiguration, "a WAV data size of \(dataByteCount) bytes is out of range")
        }
        self.init(checkedSampleRate: sampleRate, channelCount: channelCount, dataByteCount: dataByteCount)
    }

    private init(checkedSampleRate sampleRate: Int, channelCount: Int, dataByteCount: Int) {
        self.sampleRate = sampleRate
        self.channelCount = channelCount
        self.dataByteCount = dataByteCount
    }

    /// Parses the start of a WAV file, up to and including the `data` chunk's
    /// 8-byte header (bytes after it are ignored).
    ///
    /// - Throws: ``CodecError/Code/truncatedFile`` if the bytes end before the
    ///   `data` chunk; ``CodecError/Code/malformedHeader`` for a file that is not
    ///   RIFF/WAVE, a format other than 16-bit PCM, a sample rate or channel
    ///   count out of range, a `data` chunk before `fmt `, or a chunk over its size limit.
    public init(parsing bytes: some Collection<UInt8>) throws {
        var input = WAVByteArrayInput(bytes: Array(bytes))
        self = try Self.parse(from: &input).header
    }

    /// The bytes of one sampling instant, all channels: `channelCount × 2`.
    public var blockAlign: Int { channelCount * 2 }
    /// The bytes per second: `sampleRate × blockAlign`.
    public var byteRate: Int { sampleRate * blockAlign }
    /// Whether the data size is ``unknownDataSize`` (the samples run to the end of the file).
    public var hasUnknownDataSize: Bool { dataByteCount == Self.unknownDataSize }
    /// The RIFF size of the canonical layout: 36 + data size (0xFFFFFFFF when the data size is unknown).
    public var riffSize: Int { hasUnknownDataSize ? Int(UInt32.max) : 36 + dataByteCount }
    /// The number of whole samples per channel in the data, or `nil` if the size is unknown.
    public var samplesPerChannel: Int? { hasUnknownDataSize ? nil : dataByteCount / blockAlign }
    /// The time the data lasts, or `nil` if its size is unknown.
    public var duration: Duration? {
        samplesPerChannel.map { MediaTime.duration(ticks: Int64($0), clockRate: sampleRate) }
    }

    /// The header's size: 44.
    public var serializedSize: Int { Self.size }

    /// Appends the canonical 44-byte header to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        buffer.append(contentsOf: "RIFF".utf8)
        LittleEndian.append(UInt32(clamping: riffSize), to: &buffer)
        buffer.append(contentsOf: "WAVEfmt ".utf8)
        LittleEndian.append(UInt32(16), to: &buffer)
        LittleEndian.append(Self.pcmFormatTag, to: &buffer)
        LittleEndian.append(UInt16(clamping: channelCount), to: &buffer)
        LittleEndian.append(UInt32(clamping: sampleRate), to: &buffer)
        LittleEndian.append(UInt32(clamping: byteRate), to: &buffer)
        LittleEndian.append(UInt16(clamping: blockAlign), to: &buffer)
        LittleEndian.append(UInt16(Self.bitsPerSample), to: &buffer)
        buffer.append(contentsOf: "data".utf8)
        LittleEndian.append(UInt32(clamping: dataByteCount), to: &buffer)
    }

    /// The canonical 44-byte header.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.size)
        serialize(into: &buffer)
        return buffer
    }

    // MARK: - Parsing

    /// Reads chunks from `input` up to the `data` chunk's header; returns the
    /// header and the offset of the first sample byte.
    static func parse(from input: inout some WAVHeaderInput) throws -> (header: WAVHeader, dataOffset: Int) {
        let riff = try input.read(count: 12)
        guard riff.count == 12 else {
            throw CodecError(.truncatedFile, "a WAV file starts with a 12-byte RIFF header, got \(riff.count) bytes")
        }
        let signature = String(decoding: riff[0..<4], as: UTF8.self)
        guard signature == "RIFF" else {
            if signature == "RIFX" || signature == "RF64" || signature == "BW64" {
                throw CodecError(.malformedHeader, "\(signature) WAV files are not supported, only little-endian RIFF")
            }
            throw CodecError(.malformedHeader, "not a WAV file (no RIFF signature)")
        }
        guard riff[8..<12].elementsEqual("WAVE".utf8) else {
            throw CodecError(.malformedHeader, "not a WAV file (the RIFF form is not WAVE)")
        }
        var offset = 12
        var format: (sampleRate: Int, channelCount: Int)?
        while true {
            let chunkHeader = try input.read(count: 8)
            guard chunkHeader.count == 8 else {
                throw CodecError(.truncatedFile, "the WAV file ends before its data chunk")
            }
            offset += 8
            let name = String(decoding: chunkHeader[0..<4], as: UTF8.self)
            let size = Int(LittleEndian.uint32(chunkHeader, at: 4))
            switch name {
            case "fmt ":
                guard format == nil else { throw CodecError(.malformedHeader, "the WAV file has two fmt chunks") }
                guard (16...Self.maximumFormatChunkSize).contains(size) else {
                    throw CodecError(
                        .malformedHeader,
                        "a WAV fmt chunk of \(size) bytes is not 16 to \(Self.maximumFormatChunkSize) bytes"
                    )
                }
                let paddedSize = size + size % 2
                let body = try input.read(count: paddedSize)
                guard body.count == paddedSize else {
                    throw CodecError(.truncatedFile, "the WAV file ends inside its fmt chunk")
                }
                format = try parseFormat(Array(body.prefix(size)))
                offset += paddedSize
            case "data":
                guard let format else {
                    throw CodecError(.malformedHeader, "the WAV data chunk comes before the fmt chunk")
                }
                let header = WAVHeader(
                    checkedSampleRate: format.sampleRate, channelCount: format.channelCount, dataByteCount: size
                )
                return (header, offset)
            default:
                guard size <= Self.maximumSkippedChunkSize else {
                    throw CodecError(
                        .malformedHeader,
                        "the WAV \"\(name)\" chunk of \(size) bytes is over the \(Self.maximumSkippedChunkSize)-byte limit"
                    )
                }
                let paddedSize = size + size % 2
                guard try input.skip(count: paddedSize) == paddedSize else {
                    throw CodecError(.truncatedFile, "the WAV file ends inside its \"\(name)\" chunk")
                }
                offset += paddedSize
            }
        }
    }

    /// Checks a `fmt ` chunk body (16 bytes or more) and returns its rate and channels.
    private static func parseFormat(_ body: [UInt8]) throws -> (sampleRate: Int, channelCount: Int) {
        let formatTag = LittleEndian.uint16(body, at: 0)
        let channelCount = Int(LittleEndian.uint16(body, at: 2))
        let sampleRate = Int(LittleEndian.uint32(body, at: 4))
        let blockAlign = Int(LittleEndian.uint16(body, at: 12))
        let bitsPerSample = Int(LittleEndian.uint16(body, at: 14))
        switch formatTag {
        case pcmFormatTag:
            break
        case extensibleFormatTag:
            guard body.count >= 40, LittleEndian.uint16(body, at: 16) >= 22 else {
                throw CodecError(.malformedHeader, "a WAVE_FORMAT_EXTENSIBLE fmt chunk is at least 40 bytes")
            }
            guard Array(body[24..<40]) == pcmSubformat else {
                throw CodecError(.malformedHeader, "the WAVE_FORMAT_EXTENSIBLE subformat is not PCM")
            }
        default:
            let hex = String(formatTag, radix: 16, uppercase: true)
            throw CodecError(.malformedHeader, "WAV format tag 0x\(hex) is not PCM; only 16-bit PCM is supported")
        }
        guard bitsPerSample == Self.bitsPerSample else {
            throw CodecError(.malformedHeader, "\(bitsPerSample)-bit WAV samples are not supported, only 16-bit")
        }
        guard (1...AudioFrame.maximumChannelCount).contains(channelCount) else {
            throw CodecError(.malformedHeader, "a WAV channel count of \(channelCount) is out of range")
        }
        guard (1...AudioFrame.maximumSampleRate).contains(sampleRate) else {
            throw CodecError(.malformedHeader, "a WAV sample rate of \(sampleRate) Hz is out of range")
        }
        guard blockAlign == channelCount * 2 else {
            throw CodecError(
                .malformedHeader,
                "a WAV block align of \(blockAlign) does not fit \(channelCount) channels of 16 bits"
            )
        }
        return (sampleRate, channelCount)
    }
}

/// Where the WAV header parser takes its bytes from (internal): a file or an array.
protocol WAVHeaderInput {
    /// Up to `count` bytes; fewer only at the end.
    mutating func read(count: Int) throws -> [UInt8]
    /// Skips up to `count` bytes and returns how many were skipped (fewer only at the end).
    mutating func skip(count: Int) throws -> Int
}

/// Bytes in memory as a ``WAVHeaderInput``.
struct WAVByteArrayInput: WAVHeaderInput {
    let bytes: [UInt8]
    var index = 0

    mutating func read(count: Int) -> [UInt8] {
        let end = index + min(max(0, count), bytes.count - index)
        defer { index = end }
        return Array(bytes[index..<end])
    }

    mutating func skip(count: Int) -> Int {
        let skipped = min(max(0, count), bytes.count - index)
        index += skipped
        return skipped
    }
}

extension FileReader: WAVHeaderInput {
    /// Reads and drops up to `count` bytes, 64 KiB at a time.
    func skip(count: Int) throws -> Int {
        var skipped = 0
        while skipped < count {
            let piece = try read(count: min(count - skipped, 64 * 1024))
            if piece.isEmpty { break }
            skipped += piece.count
        }
        return skipped
    }
}
