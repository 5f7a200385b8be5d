import CodecBridge
import Testing

@Suite("VP8 decoder on malformed input")
struct VP8DecoderMalformedInputTests {
    static func code(of body: () throws -> Void) -> CodecError.Code? {
        do {
            try body()
            return nil
        } catch let error as CodecError {
            return error.code
        } catch {
            return CodecError.Code(rawValue: "unexpected \(error)")
        }
    }

    @Test("every truncation of a key frame throws a truncated- or corrupt-frame error")
    func truncatedKeyFrames() throws {
        let key = try TestFixtures.encodePattern(count: 1).encoded[0].data
        let header = try VP8FrameHeader(parsing: key)
        for length in 0..<key.count {
            let decoder = try VP8Decoder()
            let code = Self.code { _ = try decoder.decode(Array(key.prefix(length)), timestamp: .zero) }
            if length < header.serializedSize + header.firstPartitionSize {
                #expect(code == .truncatedFrame, "length \(length)")
            } else {
                #expect(code == .corruptFrame, "length \(length)")
            }
            #expect(decoder.isWaitingForKeyFrame)
        }
    }

    @Test("every truncation of an inter frame throws, and the decoder then waits for a key frame")
    func truncatedInterFrames() throws {
        let encoded = try TestFixtures.encodePattern(count: 3).encoded
        let inter = encoded[1].data
        for length in stride(from: 0, to: inter.count, by: 7) {
            let decoder = try VP8Decoder()
            _ = try decoder.decode(encoded[0])
            let code = Self.code { _ = try decoder.decode(Array(inter.prefix(length)), timestamp: .zero) }
            #expect(code == .truncatedFrame || code == .corruptFrame, "length \(length): \(String(describing: code))")
            #expect(decoder.isWaitingForKeyFrame)
            let next = Self.code { _ = try decoder.decode(encoded[2]) }
            #expect(next == .keyFrameRequired, "length \(length)")
        }
    }

    @Test("random garbage throws a typed error and never crashes")
    func randomGarbage() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        let decoder = try VP8Decoder()
        for round in 0..<500 {
            let garbage = [UInt8].random(count: Int.random(in: 0...3_000, using: &generator), using: &generator)
            let code = Self.code { _ = try decoder.decode(garbage, timestamp: .zero) }
            #expect(
                [.truncatedFrame, .corruptFrame, .keyFrameRequired].contains(code),
                "round \(round): \(String(describing: code))"
            )
        }
    }

    @Test("a valid key frame header over a garbage body throws or yields a picture of the header's size")
    func garbageBehindValidHeader() throws {
        var generator = SeededGenerator(seed: 42)
        var thrown = 0
        for _ in 0..<200 {
            let decoder = try VP8Decoder()
            // Key frame, version 0, shown, first partition of 100 bytes; 64x48.
            let tag = 100 << 5 | 1 << 4
            var frame: [UInt8] = [UInt8(tag & 0xFF), UInt8(tag >> 8 & 0xFF), UInt8(tag >> 16)]
            frame += VP8FrameHeader.keyFrameStartCode + [64, 0, 48, 0]
            frame += [UInt8].random(count: Int.random(in: 100...600, using: &generator), using: &generator)
            do {
                let picture = try decoder.decode(frame, timestamp: .zero)
                #expect(picture == nil || (picture?.width == 64 && picture?.height == 48))
            } catch let error as CodecError {
                #expect(error.code == .corruptFrame)
                thrown += 1
            }
        }
        #expect(thrown > 0, "libvpx notices at least some damaged bodies")
    }

    @Test("an inter frame before any key frame needs a key frame")
    func interFrameFirst() throws {
        let encoded = try TestFixtures.encodePattern(count: 2).encoded
        let decoder = try VP8Decoder()
        #expect(decoder.isWaitingForKeyFrame)
        #expect(Self.code { _ = try decoder.decode(encoded[1]) } == .keyFrameRequired)
        #expect(try decoder.decode(encoded[0]) != nil)
        #expect(!decoder.isWaitingForKeyFrame)
        #expect(try decoder.decode(encoded[1]) != nil)
    }

    @Test("after garbage the decoder recovers on the next key frame")
    func recoveryAfterGarbage() throws {
        var pattern = try TestPatternSource(width: 320, height: 240)
        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240))
        let decoder = try VP8Decoder()
        _ = try decoder.decode(try #require(try encoder.encode(pattern.nextFrame()).first))
        let damaged = try #require(try encoder.encode(pattern.nextFrame()).first)
        var corrupt = damaged.data
        corrupt.removeLast(corrupt.count / 2)
        #expect(Self.code { _ = try decoder.decode(corrupt, timestamp: .zero) } != nil)
        #expect(Self.code { _ = try decoder.decode(try #require(try encoder.encode(pattern.nextFrame()).first)) }
            == .keyFrameRequired)

        encoder.requestKeyFrame()
        let source = pattern.nextFrame()
        let keyFrame = try #require(try encoder.encode(source).first)
        let decoded = try #require(try decoder.decode(keyFrame))
        #expect(try #require(decoded.lumaPSNR(comparedWith: source)) > 30)
        #expect(TestPatternSource.readFrameNumber(from: decoded) == 3)
    }
}
