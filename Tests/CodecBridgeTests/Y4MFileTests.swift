import CodecBridge
import Testing

@Suite("Y4M files")
struct Y4MFileTests {
    static func frames(width: Int, height: Int, count: Int) throws -> [I420Frame] {
        let pattern = try TestPatternSource(width: width, height: height, frameRate: 30)
        return (0..<count).map { pattern.frame(number: $0) }
    }

    @Test("frames written then read back are identical, and rewriting gives the same bytes")
    func roundTrip() throws {
        let original = try Self.frames(width: 33, height: 17, count: 4)
        let path = TestFixtures.temporaryPath(".y4m")
        let copyPath = TestFixtures.temporaryPath(".y4m")
        defer {
            TestFixtures.remove(path)
            TestFixtures.remove(copyPath)
        }
        let writer = try Y4MWriter(path: path, width: 33, height: 17, frameRateNumerator: 30)
        for frame in original { try writer.write(frame) }
        try writer.close()
        #expect(writer.frameCount == 4)

        let bytes = try TestFixtures.contents(of: path)
        let headerLine = "YUV4MPEG2 W33 H17 F30:1 Ip A1:1 C420jpeg\n"
        #expect(Array(bytes.prefix(headerLine.utf8.count)) == Array(headerLine.utf8))
        #expect(bytes.count == headerLine.utf8.count + 4 * (6 + 33 * 17 + 2 * 17 * 9))

        let reader = try Y4MReader(path: path)
        var readBack: [I420Frame] = []
        while let frame = try reader.nextFrame() { readBack.append(frame) }
        #expect(readBack == original, "planes and timestamps (n/30 s) survive")
        #expect(reader.framesRead == 4)

        let copier = try Y4MWriter(path: copyPath, header: reader.header)
        for frame in readBack { try copier.write(frame) }
        try copier.close()
        #expect(try TestFixtures.contents(of: copyPath) == bytes)
    }

    @Test("a looping reader starts over and keeps time increasing")
    func looping() throws {
        let original = try Self.frames(width: 16, height: 16, count: 3)
        let path = TestFixtures.temporaryPath(".y4m")
        defer { TestFixtures.remove(path) }
        let writer = try Y4MWriter(path: path, width: 16, height: 16, frameRateNumerator: 10)
        for frame in original { try writer.write(frame) }
        try writer.close()

        let reader = try Y4MReader(path: path, loops: true)
        for index in 0..<8 {
            let frame = try #require(try reader.readFrame())
            #expect(frame.y == original[index % 3].y)
            #expect(frame.timestamp == .milliseconds(100 * index))
        }
    }

    @Test("a header-only file ends at once, even when looping")
    func noFrames() throws {
        let path = try TestFixtures.temporaryFile(containing: Array("YUV4MPEG2 W8 H8\n".utf8), suffix: ".y4m")
        defer { TestFixtures.remove(path) }
        #expect(try Y4MReader(path: path, loops: true).nextFrame() == nil)
    }

    @Test("ffmpeg-style headers parse, keep extensions, and print back unchanged")
    func headerParsing() throws {
        let line = "YUV4MPEG2 W1280 H720 F30000:1001 Ip A1:1 C420mpeg2 XYSCSS=420MPEG2\n"
        let header = try Y4MHeader(parsing: Array(line.utf8))
        #expect(header.width == 1_280 && header.height == 720)
        #expect(header.frameRate == .init(30_000, 1_001))
        #expect(header.interlacing == "p")
        #expect(header.pixelAspectRatio == .init(1, 1))
        #expect(header.colorSpace == "420mpeg2")
        #expect(header.otherParameters == ["XYSCSS=420MPEG2"])
        #expect(header.serialized() == Array(line.utf8))
        #expect(header.serializedSize == line.utf8.count)
        #expect(header.frameByteCount == 1_382_400)
    }

    @Test("a minimal header gets 4:2:0 and 25 fps by default", arguments: ["C420jpeg", "C420paldv", "C420", "C420mpeg2", ""])
    func minimalHeaders(colorSpace: String) throws {
        let header = try Y4MHeader(parsing: Array("YUV4MPEG2 W2 H2 \(colorSpace)".utf8))
        #expect(header.width == 2 && header.height == 2)
        #expect(header.frameRate == nil)
        #expect(header.effectiveFrameRate == .init(25, 1))
        #expect(header.colorSpace == (colorSpace.isEmpty ? nil : String(colorSpace.dropFirst())))
    }

    @Test("malformed headers throw malformed-header", arguments: [
        "", "YUV4MPEG W2 H2", "YUV4MPEG2W2 H2", "yuv4mpeg2 W2 H2", "YUV4MPEG2 H2", "YUV4MPEG2 W2",
        "YUV4MPEG2 W0 H2", "YUV4MPEG2 W2 H-2", "YUV4MPEG2 Wabc H2", "YUV4MPEG2 W99999 H2",
        "YUV4MPEG2 W1234567890123 H2", "YUV4MPEG2 W2 H2 F30", "YUV4MPEG2 W2 H2 F30:x", "YUV4MPEG2 W2 H2 F:1",
        "YUV4MPEG2 W2 H2 A1", "YUV4MPEG2 W2 H2 Ix", "YUV4MPEG2 W2 H2 Ipp", "YUV4MPEG2 W2 H2\nFRAME",
    ])
    func malformedHeaders(line: String) throws {
        #expect { try Y4MHeader(parsing: Array(line.utf8)) } throws: {
            ($0 as? CodecError)?.code == .malformedHeader
        }
    }

    @Test("colour spaces other than 8-bit 4:2:0 are unsupported", arguments: [
        "C422", "C444", "C444alpha", "Cmono", "C420p10", "C411", "C",
    ])
    func unsupportedColorSpaces(token: String) throws {
        #expect { try Y4MHeader(parsing: Array("YUV4MPEG2 W2 H2 F30:1 \(token)".utf8)) } throws: {
            ($0 as? CodecError)?.code == .unsupportedColorSpace
        }
    }

    @Test("broken files throw the right error")
    func brokenFiles() throws {
        let header = Array("YUV4MPEG2 W2 H2 F30:1\n".utf8)
        let frame = Array("FRAME\n".utf8) + [UInt8](repeating: 7, count: 6)
        let cases: [(String, [UInt8], CodecError.Code)] = [
            ("empty file", [], .truncatedFile),
            ("header without line feed", Array(header.dropLast()), .truncatedFile),
            ("not Y4M", Array("RIFF....WAVE\n".utf8), .malformedHeader),
            ("unsupported colour space", Array("YUV4MPEG2 W2 H2 C444\n".utf8), .unsupportedColorSpace),
            ("header line too long", Array("YUV4MPEG2 W2 H2 X".utf8) + [UInt8](repeating: 0x41, count: 70_000), .malformedHeader),
        ]
        for (name, bytes, code) in cases {
            let path = try TestFixtures.temporaryFile(containing: bytes, suffix: ".y4m")
            defer { TestFixtures.remove(path) }
            #expect("\(name)") { try Y4MReader(path: path) } throws: { ($0 as? CodecError)?.code == code }
        }

        let frameCases: [(String, [UInt8], CodecError.Code)] = [
            ("frame cut short", header + frame.dropLast(), .truncatedFile),
            ("FRAME line without line feed", header + Array("FRAME".utf8), .truncatedFile),
            ("not a FRAME line", header + Array("FRAMES\n".utf8) + [UInt8](repeating: 7, count: 6), .malformedHeader),
            ("garbage instead of FRAME", header + [UInt8](repeating: 0x55, count: 40) + [0x0A], .malformedHeader),
        ]
        for (name, bytes, code) in frameCases {
            let path = try TestFixtures.temporaryFile(containing: bytes, suffix: ".y4m")
            defer { TestFixtures.remove(path) }
            let reader = try Y4MReader(path: path)
            #expect("\(name)") { try reader.nextFrame() } throws: { ($0 as? CodecError)?.code == code }
        }

        // A FRAME line may carry parameters.
        let withParameters = header + Array("FRAME Ip XTAG=1\n".utf8) + [UInt8](repeating: 9, count: 6)
        let path = try TestFixtures.temporaryFile(containing: withParameters, suffix: ".y4m")
        defer { TestFixtures.remove(path) }
        let reader = try Y4MReader(path: path)
        #expect(try reader.nextFrame()?.y == [9, 9, 9, 9])
        #expect(try reader.nextFrame() == nil)
    }

    @Test("every truncation of a one-frame file throws truncated-file or ends cleanly")
    func truncations() throws {
        let bytes = Array("YUV4MPEG2 W3 H3 F30:1\n".utf8) + Array("FRAME\n".utf8) + [UInt8](repeating: 1, count: 17)
        for length in 0..<bytes.count {
            let path = try TestFixtures.temporaryFile(containing: Array(bytes.prefix(length)), suffix: ".y4m")
            defer { TestFixtures.remove(path) }
            var code: CodecError.Code?
            do {
                let reader = try Y4MReader(path: path)
                while try reader.nextFrame() != nil {}
            } catch let error as CodecError {
                code = error.code
            }
            // Ending right after the header is a valid file with no frames.
            #expect(code == (length == 22 ? nil : .truncatedFile), "length \(length)")
        }
    }

    @Test("the writer refuses frames of another size and odd colour spaces")
    func writerChecks() throws {
        let path = TestFixtures.temporaryPath(".y4m")
        defer { TestFixtures.remove(path) }
        let writer = try Y4MWriter(path: path, width: 4, height: 4)
        #expect { try writer.write(I420Frame(width: 4, height: 2)) } throws: { ($0 as? CodecError)?.code == .invalidInput }
        try writer.close()
        #expect { try Y4MWriter(path: path, header: .init(width: 4, height: 4, colorSpace: "444")) } throws: {
            ($0 as? CodecError)?.code == .invalidConfiguration
        }
    }

    @Test("random header lines throw typed errors or parse, never trap")
    func randomHeaders() throws {
        var generator = SeededGenerator(seed: 99)
        let alphabet = Array("YUV4MPEG2 WHFIACX0123456789:pm-?\n".utf8)
        for _ in 0..<2_000 {
            let length = Int.random(in: 0...40, using: &generator)
            var line = Array("YUV4MPEG2 ".utf8)
            for _ in 0..<length { line.append(alphabet.randomElement(using: &generator)!) }
            do {
                let header = try Y4MHeader(parsing: line)
                #expect(header.width >= 1 && header.height >= 1)
            } catch let error as CodecError {
                #expect([.malformedHeader, .unsupportedColorSpace].contains(error.code))
            }
        }
    }
}
