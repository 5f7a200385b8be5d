import CodecBridge
import Testing

@Suite("VP8 encode and decode round trip")
struct VP8RoundTripTests {
    @Test("30 frames of the 320x240 test pattern decode back at full size above 30 dB")
    func testPatternRoundTrip() throws {
        let (sources, encoded) = try TestFixtures.encodePattern(count: 30)
        #expect(encoded.first?.isKeyFrame == true, "the first frame is a key frame")
        #expect(encoded.dropFirst().allSatisfy { !$0.isKeyFrame }, "later frames are inter frames")

        let decoder = try VP8Decoder()
        for (index, (source, frame)) in zip(sources, encoded).enumerated() {
            #expect(frame.width == 320 && frame.height == 240)
            #expect(frame.timestamp == source.timestamp)
            let decoded = try #require(try decoder.decode(frame), "frame \(index) shows a picture")
            #expect(decoded.width == 320 && decoded.height == 240)
            #expect(decoded.hasValidPlanes)
            #expect(decoded.timestamp == source.timestamp)
            let psnr = try #require(decoded.lumaPSNR(comparedWith: source))
            #expect(psnr > 30, "frame \(index): luma PSNR \(psnr) dB")
        }
    }

    @Test("the frame counter reads back from every decoded frame")
    func frameCounterSurvivesCoding() throws {
        let (_, encoded) = try TestFixtures.encodePattern(count: 30)
        let decoder = try VP8Decoder()
        var numbers: [Int?] = []
        for frame in encoded {
            let decoded = try #require(try decoder.decode(frame))
            numbers.append(TestPatternSource.readFrameNumber(from: decoded))
        }
        #expect(numbers == (0..<30).map { Optional($0) })
    }

    @Test("the frame counter reads back after coding at 640x480 and 160x120")
    func frameCounterAtOtherSizes() throws {
        for (width, height) in [(640, 480), (160, 120)] {
            var pattern = try TestPatternSource(width: width, height: height, firstFrameNumber: 4_321)
            let encoder = try VP8Encoder(configuration: .init(width: width, height: height, bitrate: 800_000))
            let decoder = try VP8Decoder()
            for offset in 0..<5 {
                let frames = try encoder.encode(pattern.nextFrame())
                let frame = try #require(frames.first)
                let decoded = try #require(try decoder.decode(frame))
                #expect(TestPatternSource.readFrameNumber(from: decoded) == 4_321 + offset, "\(width)x\(height)")
            }
        }
    }

    @Test("requestKeyFrame makes exactly the next frame a key frame")
    func requestedKeyFrame() throws {
        var pattern = try TestPatternSource(width: 320, height: 240)
        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240))
        var keyFlags: [Bool] = []
        for index in 0..<12 {
            if index == 6 { encoder.requestKeyFrame() }
            let frames = try encoder.encode(pattern.nextFrame())
            try #require(frames.count == 1)
            keyFlags.append(frames[0].isKeyFrame)
        }
        #expect(keyFlags == [true, false, false, false, false, false, true, false, false, false, false, false])
    }

    @Test("forceKeyFrame codes that frame as a key frame that decodes by itself")
    func forcedKeyFrameDecodesAlone() throws {
        var pattern = try TestPatternSource(width: 320, height: 240)
        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240))
        for _ in 0..<5 { _ = try encoder.encode(pattern.nextFrame()) }
        let source = pattern.nextFrame()
        let frames = try encoder.encode(source, forceKeyFrame: true)
        let keyFrame = try #require(frames.first)
        #expect(keyFrame.isKeyFrame)
        #expect(try VP8FrameHeader(parsing: keyFrame.data).isKeyFrame)

        // A decoder that never saw the earlier frames starts from it.
        let decoder = try VP8Decoder()
        let decoded = try #require(try decoder.decode(keyFrame))
        #expect(try #require(decoded.lumaPSNR(comparedWith: source)) > 30)
        #expect(TestPatternSource.readFrameNumber(from: decoded) == 5)
    }

    @Test("odd picture sizes round trip with rounded-up chroma planes")
    func oddSizeRoundTrip() throws {
        let (sources, encoded) = try TestFixtures.encodePattern(width: 175, height: 97, count: 5, bitrate: 600_000)
        let decoder = try VP8Decoder()
        for (source, frame) in zip(sources, encoded) {
            let decoded = try #require(try decoder.decode(frame))
            #expect(decoded.width == 175 && decoded.height == 97)
            #expect(decoded.u.count == 88 * 49 && decoded.v.count == 88 * 49)
            #expect(try #require(decoded.lumaPSNR(comparedWith: source)) > 30)
        }
    }

    @Test("a size change mid-stream gives a key frame at the new size that the same decoder follows")
    func sizeChange() throws {
        var large = try TestPatternSource(width: 320, height: 240)
        var small = try TestPatternSource(width: 160, height: 120, firstFrameNumber: 100)
        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240))
        let decoder = try VP8Decoder()
        for _ in 0..<3 {
            let frame = try #require(try encoder.encode(large.nextFrame()).first)
            #expect(try decoder.decode(frame)?.width == 320)
        }
        for index in 0..<3 {
            let source = small.nextFrame()
            let frame = try #require(try encoder.encode(source).first)
            #expect(frame.isKeyFrame == (index == 0))
            #expect(frame.width == 160 && frame.height == 120)
            let decoded = try #require(try decoder.decode(frame))
            #expect(decoded.width == 160 && decoded.height == 120)
            #expect(try #require(decoded.lumaPSNR(comparedWith: source)) > 30)
        }
        #expect(encoder.configuration.width == 160 && encoder.configuration.height == 120)
    }

    @Test("a frame whose planes do not fit its size is refused")
    func malformedFrameRefused() throws {
        let encoder = try VP8Encoder(configuration: .init(width: 64, height: 64))
        var frame = I420Frame(width: 64, height: 64)
        frame.u.removeLast()
        #expect { try encoder.encode(frame) } throws: { ($0 as? CodecError)?.code == .invalidInput }
    }

    @Test("out-of-range encoder settings are refused", arguments: [
        VP8Encoder.Configuration(width: 0, height: 240),
        VP8Encoder.Configuration(width: 320, height: 16_384),
        VP8Encoder.Configuration(width: 320, height: 240, frameRate: 0),
        VP8Encoder.Configuration(width: 320, height: 240, bitrate: 999),
    ])
    func invalidConfiguration(_ configuration: VP8Encoder.Configuration) throws {
        #expect { try VP8Encoder(configuration: configuration) } throws: {
            ($0 as? CodecError)?.code == .invalidConfiguration
        }
    }
}
