import CodecBridge
import Foundation
import Testing

@Suite("PNG pictures")
struct PNGWriterTests {
    /// One chunk of a PNG file as stored.
    struct Chunk {
        var type: String
        var data: [UInt8]
        var storedCRC: UInt32
    }

    /// A decoded picture: size and RGB rows (filter bytes checked and removed).
    struct Picture {
        var width: Int
        var height: Int
        var rgb: [UInt8]
        var chunks: [Chunk]
        var storedBlockCount: Int

        func pixel(x: Int, y: Int) -> [Int] {
            let start = 3 * (y * width + x)
            return rgb[start..<(start + 3)].map(Int.init)
        }
    }

    static func uint32BigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    /// CRC-32 (ISO-HDLC), bit by bit: independent of the writer's table-driven one.
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// Adler-32 straight from RFC 1950, one modulo per byte.
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }

    /// The chunks after the signature; they must fill the file exactly.
    static func chunks(of png: [UInt8]) throws -> [Chunk] {
        var chunks: [Chunk] = []
        var offset = 8
        while offset < png.count {
            try #require(offset + 12 <= png.count, "a chunk needs 12 bytes at \(offset)")
            let length = Int(uint32BigEndian(png, at: offset))
            try #require(offset + 12 + length <= png.count, "chunk at \(offset) claims \(length) bytes")
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let data = Array(png[(offset + 8)..<(offset + 8 + length)])
            chunks.append(Chunk(type: type, data: data, storedCRC: uint32BigEndian(png, at: offset + 8 + length)))
            offset += 12 + length
        }
        #expect(offset == png.count)
        return chunks
    }

    /// The data of a zlib stream made only of stored deflate blocks, with its
    /// header and Adler-32 checked; and the number of blocks.
    static func inflateStored(_ stream: [UInt8]) throws -> (data: [UInt8], blockCount: Int) {
        try #require(stream.count >= 6)
        #expect(stream[0] == 0x78 && stream[1] & 0x20 == 0, "deflate, 32 KiB window, no dictionary")
        #expect((Int(stream[0]) << 8 | Int(stream[1])) % 31 == 0, "header check bits")
        var data: [UInt8] = []
        var offset = 2
        var blockCount = 0
        var final = false
        while !final {
            try #require(offset + 5 <= stream.count, "a stored block header at \(offset)")
            let header = stream[offset]
            final = header & 1 == 1
            try #require((header >> 1) & 3 == 0, "block \(blockCount) is stored (BTYPE 00)")
            let length = Int(stream[offset + 1]) | Int(stream[offset + 2]) << 8
            let complement = Int(stream[offset + 3]) | Int(stream[offset + 4]) << 8
            try #require(length ^ complement == 0xFFFF, "NLEN is the one's complement of LEN")
            try #require(offset + 5 + length <= stream.count)
            data += stream[(offset + 5)..<(offset + 5 + length)]
            offset += 5 + length
            blockCount += 1
        }
        try #require(offset + 4 == stream.count, "only the Adler-32 follows the last block")
        #expect(uint32BigEndian(stream, at: offset) == adler32(data), "Adler-32 of the scanlines")
        return (data, blockCount)
    }

    /// Parses and checks a PNG file written by ``PNGWriter``.
    static func decode(_ png: [UInt8]) throws -> Picture {
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(PNGWriter.signature == Array(png.prefix(8)))
        let chunks = try Self.chunks(of: png)
        for chunk in chunks {
            #expect(chunk.storedCRC == crc32(Array(chunk.type.utf8) + chunk.data), "CRC of \(chunk.type)")
        }
        try #require(chunks.count >= 3)
        #expect(chunks.first?.type == "IHDR" && chunks.last?.type == "IEND" && chunks.last?.data == [])
        #expect(chunks.dropFirst().dropLast().allSatisfy { $0.type == "IDAT" })
        let header = chunks[0].data
        try #require(header.count == 13)
        let width = Int(uint32BigEndian(header, at: 0))
        let height = Int(uint32BigEndian(header, at: 4))
        #expect(Array(header[8...]) == [8, 2, 0, 0, 0], "8-bit RGB, deflate, filter method 0, not interlaced")
        let (scanlines, blockCount) = try inflateStored(chunks.dropFirst().dropLast().flatMap(\.data))
        let rowLength = 1 + 3 * width
        try #require(scanlines.count == rowLength * height)
        var rgb: [UInt8] = []
        for row in 0..<height {
            #expect(scanlines[row * rowLength] == 0, "row \(row) has filter type 0")
            rgb += scanlines[(row * rowLength + 1)..<((row + 1) * rowLength)]
        }
        return Picture(width: width, height: height, rgb: rgb, chunks: chunks, storedBlockCount: blockCount)
    }

    /// BT.601 limited-range YUV to RGB in floating point, clipped to 0...255.
    static func rgb(y: UInt8, u: UInt8, v: UInt8) -> [Double] {
        let luma = 1.164 * (Double(y) - 16)
        let blue = Double(u) - 128
        let red = Double(v) - 128
        return [luma + 1.596 * red, luma - 0.392 * blue - 0.813 * red, luma + 2.017 * blue].map { min(255, max(0, $0)) }
    }

    /// Whether every pixel of `picture` is within ±2 of `frame`'s colour there.
    static func matches(_ picture: Picture, _ frame: I420Frame) -> Bool {
        for row in 0..<frame.height {
            for column in 0..<frame.width {
                let chroma = (row / 2) * frame.chromaWidth + column / 2
                let expected = rgb(y: frame.y[row * frame.width + column], u: frame.u[chroma], v: frame.v[chroma])
                let actual = picture.pixel(x: column, y: row)
                guard zip(actual, expected).allSatisfy({ abs(Double($0) - $1) <= 2 }) else { return false }
            }
        }
        return true
    }

    @Test("a 16×8 frame of one colour: PNG signature, IHDR 16×8 8-bit RGB, valid CRCs, stored blocks decode to the colour ±2")
    func solidColours() throws {
        let colours: [(name: String, y: UInt8, u: UInt8, v: UInt8, rgb: [Int])] = [
            ("black", 16, 128, 128, [0, 0, 0]),
            ("white", 235, 128, 128, [255, 255, 255]),
            ("red", 81, 90, 240, [255, 0, 0]),
            ("brown", 120, 100, 160, [172, 106, 65]),
            ("grey", 126, 128, 128, [128, 128, 128]),
        ]
        for colour in colours {
            let frame = I420Frame(width: 16, height: 8, y: colour.y, u: colour.u, v: colour.v)
            let picture = try Self.decode(PNGWriter.encode(frame))
            #expect(picture.width == 16 && picture.height == 8, "\(colour.name)")
            #expect(picture.chunks.map(\.type) == ["IHDR", "IDAT", "IEND"], "\(colour.name)")
            #expect(picture.storedBlockCount == 1)
            for index in 0..<(16 * 8) {
                let pixel = picture.pixel(x: index % 16, y: index / 16)
                #expect(zip(pixel, colour.rgb).allSatisfy { abs($0 - $1) <= 2 }, "\(colour.name): \(pixel)")
            }
        }
    }

    @Test("odd sizes map each chroma sample to its 2×2 pixels; 160×160 needs two stored blocks and two IDAT chunks")
    func layout() throws {
        for (width, height, blocks, idats) in [(33, 17, 1, 1), (1, 1, 1, 1), (160, 160, 2, 2)] {
            var frame = I420Frame(width: width, height: height)
            for row in 0..<height {
                for column in 0..<width { frame.y[row * width + column] = UInt8(16 + (column * 7 + row * 13) % 220) }
            }
            for index in frame.u.indices {
                frame.u[index] = UInt8(16 + (index * 37) % 224)
                frame.v[index] = UInt8(16 + (index * 53 + 100) % 224)
            }
            let picture = try Self.decode(PNGWriter.encode(frame))
            #expect(picture.width == width && picture.height == height)
            #expect(Self.matches(picture, frame), "\(width)x\(height)")
            #expect(picture.storedBlockCount == blocks, "\(width)x\(height)")
            #expect(picture.chunks.count == 2 + idats, "\(width)x\(height)")
        }
    }

    @Test("write stores the encoded bytes; malformed planes throw invalid-input from write and draw black from encode")
    func writeAndMalformedPlanes() throws {
        let path = TestFixtures.temporaryPath(".png")
        defer { TestFixtures.remove(path) }
        let frame = try TestPatternSource(width: 48, height: 32).frame(number: 5)
        try PNGWriter.write(frame, to: path)
        #expect(try TestFixtures.contents(of: path) == PNGWriter.encode(frame))
        #expect(Self.matches(try Self.decode(TestFixtures.contents(of: path)), frame))

        var broken = I420Frame(width: 4, height: 4)
        broken.y = [235]
        broken.u = []
        #expect { try PNGWriter.write(broken, to: path) } throws: { ($0 as? CodecError)?.code == .invalidInput }
        let picture = try Self.decode(PNGWriter.encode(broken))
        #expect(picture.pixel(x: 0, y: 0).allSatisfy { $0 >= 253 })
        #expect((1..<16).allSatisfy { picture.pixel(x: $0 % 4, y: $0 / 4) == [0, 0, 0] })
    }

    static let python = "/usr/bin/python3"

    @Test("Python's zlib inflates the IDAT stream to the same scanlines")
    func pythonZlib() throws {
        // python3 is part of every Debian system this runs on; without it the test fails rather than skips.
        try #require(FileManager.default.isExecutableFile(atPath: Self.python), "\(Self.python) is missing")
        let frame = try TestPatternSource(width: 200, height: 120).frame(number: 3)
        let png = PNGWriter.encode(frame)
        let chunks = try Self.chunks(of: png)
        let stream = chunks.filter { $0.type == "IDAT" }.flatMap(\.data)
        let input = try TestFixtures.temporaryFile(containing: stream, suffix: ".zlib")
        let output = TestFixtures.temporaryPath(".raw")
        defer {
            TestFixtures.remove(input)
            TestFixtures.remove(output)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = [
            "-c", "import sys, zlib; open(sys.argv[2], 'wb').write(zlib.decompress(open(sys.argv[1], 'rb').read()))",
            input, output,
        ]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 could not inflate the stream")
        #expect(try TestFixtures.contents(of: output) == (try Self.inflateStored(stream)).data)
    }
}
