import CodecBridge
import Testing

@Suite("IVF files")
struct IVFFileTests {
    /// Writes the encoded test pattern to a fresh IVF file and returns its path.
    static func writeStream(_ encoded: [EncodedVideoFrame]) throws -> String {
        let path = TestFixtures.temporaryPath(".ivf")
        let writer = try IVFWriter(path: path, width: 320, height: 240)
        for frame in encoded { try writer.write(frame) }
        try writer.close()
        return path
    }

    @Test("a written file reads back with its header, frame sizes, bytes and pts")
    func roundTrip() throws {
        let encoded = try TestFixtures.encodePattern(count: 30).encoded
        let path = try Self.writeStream(encoded)
        defer { TestFixtures.remove(path) }

        let bytes = try TestFixtures.contents(of: path)
        #expect(Array(bytes[0..<4]) == Array("DKIF".utf8))
        #expect(bytes[4] == 0 && bytes[5] == 0, "version 0")
        #expect(bytes[6] == 32 && bytes[7] == 0, "header size 32")
        #expect(Array(bytes[8..<12]) == Array("VP80".utf8))
        #expect(bytes.count == 32 + encoded.reduce(0) { $0 + 12 + $1.data.count })

        let reader = try IVFReader(path: path)
        #expect(reader.header.fourCC == "VP80")
        #expect(reader.header.width == 320 && reader.header.height == 240)
        #expect(reader.header.timebaseNumerator == 1 && reader.header.timebaseDenominator == 90_000)
        #expect(reader.header.length == 90_000, "the length (30 frames of 3,000 ticks) is patched on close")
        var frames: [IVFFrame] = []
        while let frame = try reader.nextFrame() { frames.append(frame) }
        #expect(frames.count == 30)
        for (index, (frame, original)) in zip(frames, encoded).enumerated() {
            #expect(frame.data == original.data)
            #expect(frame.pts == Int64(3_000 * index), "90 kHz ticks of frame \(index)")
            #expect(frame.timestamp == original.timestamp)
        }
        #expect(try reader.nextFrame() == nil, "the end stays the end")

        // What comes out of the file still decodes to the counted pattern.
        let decoder = try VP8Decoder()
        for (index, frame) in frames.enumerated() {
            let picture = try #require(try decoder.decode(frame.data, timestamp: frame.timestamp))
            #expect(TestPatternSource.readFrameNumber(from: picture) == index)
        }
    }

    @Test("with a one-frame time base the length field is the frame count, as libvpx writes it")
    func frameTimebaseLength() throws {
        let path = TestFixtures.temporaryPath(".ivf")
        defer { TestFixtures.remove(path) }
        let writer = try IVFWriter(path: path, width: 16, height: 16, timebaseNumerator: 1, timebaseDenominator: 30)
        for pts in 0..<7 { try writer.write(frameData: [UInt8(pts)], pts: Int64(pts)) }
        try writer.close()
        try writer.close()
        #expect(writer.frameCount == 7)
        let reader = try IVFReader(path: path)
        #expect(reader.header.length == 7)
        #expect(try reader.nextFrame()?.timestamp == .zero)
        #expect(try reader.nextFrame()?.timestamp == Duration.seconds(1) / 30)
        #expect { try writer.write(frameData: [1], pts: 9) } throws: { ($0 as? CodecError)?.code == .fileAccessFailed }
    }

    @Test("the header serializes and parses field for field, with another time base")
    func headerRoundTrip() throws {
        let header = try IVFFileHeader(
            fourCC: "VP80", width: 1_280, height: 720, timebaseNumerator: 1_001, timebaseDenominator: 30_000, length: 77
        )
        let bytes = header.serialized()
        #expect(bytes.count == 32 && header.serializedSize == 32)
        // Rate (denominator) at 16, scale (numerator) at 20, count at 24, all little-endian.
        #expect(Array(bytes[12..<16]) == [0x00, 0x05, 0xD0, 0x02])
        #expect(Array(bytes[16..<20]) == [0x30, 0x75, 0, 0])
        #expect(Array(bytes[20..<24]) == [0xE9, 0x03, 0, 0])
        #expect(Array(bytes[24..<28]) == [77, 0, 0, 0])
        #expect(try IVFFileHeader(parsing: bytes) == header)

        let frameHeader = IVFFrameHeader(frameSize: 0x0102_0304, pts: 0x0A0B_0C0D_0E0F)
        #expect(frameHeader.serialized() == [0x04, 0x03, 0x02, 0x01, 0x0F, 0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0, 0])
        #expect(try IVFFrameHeader(parsing: frameHeader.serialized()) == frameHeader)
    }

    @Test("malformed file headers throw the right error")
    func malformedHeaders() throws {
        let good = try IVFFileHeader(width: 320, height: 240).serialized()
        for length in 0..<32 {
            #expect { try IVFFileHeader(parsing: good.prefix(length)) } throws: {
                ($0 as? CodecError)?.code == .truncatedFile
            }
        }
        let damages: [(String, Range<Int>, [UInt8])] = [
            ("signature", 0..<4, Array("DKIG".utf8)),
            ("version 1", 4..<6, [1, 0]),
            ("header size 16", 6..<8, [16, 0]),
            ("width 0", 12..<14, [0, 0]),
            ("height 0", 14..<16, [0, 0]),
            ("rate 0", 16..<20, [0, 0, 0, 0]),
            ("scale 0", 20..<24, [0, 0, 0, 0]),
        ]
        for (name, range, replacement) in damages {
            var bytes = good
            bytes.replaceSubrange(range, with: replacement)
            #expect("\(name)") { try IVFFileHeader(parsing: bytes) } throws: {
                ($0 as? CodecError)?.code == .malformedHeader
            }
        }
        #expect { try IVFFrameHeader(parsing: [1, 2, 3]) } throws: { ($0 as? CodecError)?.code == .truncatedFile }
        #expect { try IVFFileHeader(fourCC: "VP8", width: 1, height: 1) } throws: {
            ($0 as? CodecError)?.code == .invalidConfiguration
        }
    }

    @Test("a file cut anywhere reads its whole frames, then reports the truncation")
    func truncatedFiles() throws {
        let encoded = try TestFixtures.encodePattern(width: 64, height: 48, count: 3, bitrate: 100_000).encoded
        let path = try Self.writeStream(encoded)
        defer { TestFixtures.remove(path) }
        let bytes = try TestFixtures.contents(of: path)
        // Frame boundaries: the offsets where a complete file could end.
        var boundaries = [32]
        for frame in encoded { boundaries.append(boundaries.last! + 12 + frame.data.count) }

        for length in 0..<bytes.count {
            let cut = try TestFixtures.temporaryFile(containing: Array(bytes.prefix(length)), suffix: ".ivf")
            defer { TestFixtures.remove(cut) }
            var framesRead = 0
            var failure: CodecError?
            do {
                let reader = try IVFReader(path: cut)
                while try reader.nextFrame() != nil { framesRead += 1 }
            } catch let error as CodecError {
                failure = error
            }
            let wholeFrames = boundaries.dropFirst().filter { $0 <= length }.count
            #expect(framesRead == wholeFrames, "length \(length)")
            if boundaries.contains(length) {
                #expect(failure == nil, "length \(length) ends on a frame boundary")
            } else {
                #expect(failure?.code == .truncatedFile, "length \(length)")
            }
        }
    }

    @Test("a frame claiming more than the limit is refused before reading it")
    func oversizedFrame() throws {
        var bytes = try IVFFileHeader(width: 16, height: 16).serialized()
        bytes += IVFFrameHeader(frameSize: 0xFFFF_FFFF, pts: 0).serialized() + [1, 2, 3]
        let path = try TestFixtures.temporaryFile(containing: bytes, suffix: ".ivf")
        defer { TestFixtures.remove(path) }
        let reader = try IVFReader(path: path)
        #expect { try reader.nextFrame() } throws: { ($0 as? CodecError)?.code == .malformedHeader }
    }

    @Test("a missing file is a file access error")
    func missingFile() {
        #expect { try IVFReader(path: "/nonexistent/directory/file.ivf") } throws: {
            ($0 as? CodecError)?.code == .fileAccessFailed
        }
        #expect { try IVFWriter(path: "/nonexistent/directory/file.ivf", width: 16, height: 16) } throws: {
            ($0 as? CodecError)?.code == .fileAccessFailed
        }
    }
}
