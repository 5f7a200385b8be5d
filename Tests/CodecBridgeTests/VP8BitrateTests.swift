import CodecBridge
import Testing

@Suite("VP8 bitrate control")
struct VP8BitrateTests {
    static func bytes(_ frames: some Sequence<EncodedVideoFrame>) -> Int {
        frames.reduce(0) { $0 + $1.data.count }
    }

    @Test("a lower configured bitrate gives smaller output, near the target")
    func configuredBitrate() throws {
        let low = try TestFixtures.encodePattern(count: 60, bitrate: 150_000).encoded
        let high = try TestFixtures.encodePattern(count: 60, bitrate: 1_500_000).encoded
        #expect(Self.bytes(low) < Self.bytes(high))
        // The second second of the low-rate stream: 150 kbit/s is 18,750 bytes.
        let lowSecondSecond = Self.bytes(low.dropFirst(30))
        #expect(lowSecondSecond > 18_750 / 2, "\(lowSecondSecond) bytes")
        #expect(lowSecondSecond < 18_750 * 2, "\(lowSecondSecond) bytes")
    }

    @Test("setBitrate at run time shrinks the following frames")
    func runtimeBitrateChange() throws {
        var pattern = try TestPatternSource(width: 320, height: 240)
        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240, bitrate: 1_500_000))
        var before: [EncodedVideoFrame] = []
        var after: [EncodedVideoFrame] = []
        for _ in 0..<60 { before += try encoder.encode(pattern.nextFrame()) }
        try encoder.setBitrate(150_000)
        #expect(encoder.bitrate == 150_000)
        for _ in 0..<60 { after += try encoder.encode(pattern.nextFrame()) }
        #expect(before.count == 60 && after.count == 60)
        #expect(after.allSatisfy { !$0.isKeyFrame }, "a bitrate change needs no key frame")
        let beforeBytes = Self.bytes(before.suffix(30))
        let afterBytes = Self.bytes(after.suffix(30))
        #expect(afterBytes * 2 < beforeBytes, "\(afterBytes) bytes after vs \(beforeBytes) before")

        // The stream stays decodable across the change.
        let decoder = try VP8Decoder()
        for frame in before + after { _ = try decoder.decode(frame) }
    }

    @Test("an out-of-range bitrate is refused and the old one kept")
    func invalidBitrate() throws {
        let encoder = try VP8Encoder(configuration: .init(width: 320, height: 240, bitrate: 500_000))
        #expect { try encoder.setBitrate(10) } throws: { ($0 as? CodecError)?.code == .invalidConfiguration }
        #expect(encoder.bitrate == 500_000)
    }
}
