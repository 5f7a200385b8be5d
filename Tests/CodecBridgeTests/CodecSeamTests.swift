import CodecBridge
import Testing

/// A stand-in encoder of the kind a test of a higher layer would write: a value
/// type that "compresses" a frame to its frame counter.
struct CounterOnlyEncoder: VideoEncoder {
    var bitrate = 1_000
    var keyFrameDue = true
    mutating func encode(_ frame: I420Frame, forceKeyFrame: Bool) throws -> [EncodedVideoFrame] {
        let number = TestPatternSource.readFrameNumber(from: frame) ?? -1
        defer { keyFrameDue = false }
        return [EncodedVideoFrame(
            data: Array(String(number).utf8), isKeyFrame: keyFrameDue || forceKeyFrame,
            timestamp: frame.timestamp, width: frame.width, height: frame.height
        )]
    }
    mutating func requestKeyFrame() { keyFrameDue = true }
    mutating func setBitrate(_ bitsPerSecond: Int) throws { bitrate = bitsPerSecond }
}

@Suite("codec protocol seams")
struct CodecSeamTests {
    /// Pumps `count` frames from any source through any encoder and decoder.
    static func pump(
        _ source: inout some VideoFrameSource, _ encoder: inout some VideoEncoder,
        _ decoder: inout some VideoDecoder, count: Int
    ) throws -> [Int?] {
        var numbers: [Int?] = []
        for _ in 0..<count {
            guard let frame = try source.readFrame() else { break }
            for encoded in try encoder.encode(frame) {
                numbers.append(try decoder.decode(encoded).flatMap(TestPatternSource.readFrameNumber(from:)))
            }
        }
        return numbers
    }

    @Test("VP8 and the test pattern work through the generic protocols")
    func genericPipeline() throws {
        var source = try TestPatternSource(width: 160, height: 120)
        var encoder = try VP8Encoder(configuration: .init(width: 160, height: 120))
        var decoder = try VP8Decoder()
        #expect(try Self.pump(&source, &encoder, &decoder, count: 8) == (0..<8).map { Optional($0) })
    }

    @Test("existential codecs carry key frame requests and bitrate changes")
    func existentials() throws {
        var encoders: [any VideoEncoder] = [
            try VP8Encoder(configuration: .init(width: 64, height: 48)), CounterOnlyEncoder(),
        ]
        let pattern = try TestPatternSource(width: 64, height: 48)
        for index in encoders.indices {
            _ = try encoders[index].encode(pattern.frame(number: 0))
            #expect(try encoders[index].encode(pattern.frame(number: 1)).first?.isKeyFrame == false)
            encoders[index].requestKeyFrame()
            #expect(try encoders[index].encode(pattern.frame(number: 2)).first?.isKeyFrame == true)
            try encoders[index].setBitrate(250_000)
            #expect(encoders[index].bitrate == 250_000)
        }
    }

    @Test("Opus works through the audio protocols")
    func audioSeams() throws {
        var encoder: any AudioEncoder = try OpusEncoder(configuration: .init(channelCount: 2))
        var decoder: any AudioDecoder = try OpusDecoder(channelCount: 2)
        #expect(encoder.sampleRate == decoder.sampleRate && encoder.channelCount == decoder.channelCount)
        let silence = [Int16](repeating: 0, count: encoder.samplesPerFrame * encoder.channelCount)
        let packet = try encoder.encode(silence)
        #expect(try decoder.decode(packet).count == silence.count)
        #expect(try decoder.decode(nil).count == silence.count)
    }
}
