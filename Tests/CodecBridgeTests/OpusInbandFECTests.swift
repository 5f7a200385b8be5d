import CodecBridge
import Testing

@Suite("Opus in-band FEC detection")
struct OpusInbandFECTests {
    static func packets(expectedLoss: Int, channels: Int = 1, frames: Int = 30) throws -> [[UInt8]] {
        var configuration = OpusEncoder.Configuration(channelCount: channels, bitrate: 32_000)
        configuration.expectedPacketLossPercent = expectedLoss
        let encoder = try OpusEncoder(configuration: configuration)
        let frequencies = channels == 1 ? [440.0] : [440, 660]
        return try OpusRoundTripTests.tone(frequencies: frequencies, frames: frames).map { try encoder.encode($0) }
    }

    @Test("the LBRR flag is read exactly when libopus's FEC decode differs from plain concealment", arguments: [1, 2])
    func flagMatchesWhatTheDecoderRecovers(channels: Int) throws {
        let packets = try Self.packets(expectedLoss: 20, channels: channels)
        var flagged = 0
        for lost in 2..<packets.count - 1 {
            let concealing = try OpusDecoder(channelCount: channels)
            let recovering = try OpusDecoder(channelCount: channels)
            for packet in packets[0..<lost] {
                _ = try concealing.decode(packet)
                _ = try recovering.decode(packet)
            }
            let concealed = try concealing.decode(nil)
            let recovered = try recovering.decodeLost(usingFECFrom: packets[lost + 1])
            let present = OpusInbandFEC.isPresent(in: packets[lost + 1])
            if present { flagged += 1 }
            #expect(present == (concealed != recovered), "packet \(lost + 1): flag \(present)")
        }
        #expect(flagged > packets.count / 2, "with 20% expected loss most packets carry FEC")
    }

    @Test("without expected loss the encoder sends no FEC, and the flag says so")
    func noExpectedLossMeansNoFEC() throws {
        let packets = try Self.packets(expectedLoss: 0)
        #expect(packets.dropFirst().allSatisfy { !OpusInbandFEC.isPresent(in: $0) })
    }

    @Test("CELT-only, empty, DTX-sized and malformed packets carry no FEC and never trap")
    func nonSILKAndMalformedPackets() {
        // TOC config 31 (CELT-only 20 ms fullband), code 0, with bytes that would read as flags.
        #expect(!OpusInbandFEC.isPresent(in: [31 << 3, 0xFF, 0xFF]))
        #expect(!OpusInbandFEC.isPresent(in: []))
        #expect(!OpusInbandFEC.isPresent(in: [1 << 3]))
        // Code 2 with a zero first length, code 3 with a zero count or truncated fields.
        #expect(!OpusInbandFEC.isPresent(in: [(1 << 3) | 2, 0, 0xFF]))
        #expect(!OpusInbandFEC.isPresent(in: [(1 << 3) | 3, 0]))
        #expect(!OpusInbandFEC.isPresent(in: [(1 << 3) | 3, 0x40 | 2, 255]))
        #expect(!OpusInbandFEC.isPresent(in: [(1 << 3) | 3, 0x80 | 2]))
        // A SILK-only 20 ms mono frame whose LBRR flag (second bit) is set, in each packing.
        #expect(OpusInbandFEC.isPresent(in: [1 << 3, 0x40]))
        #expect(OpusInbandFEC.isPresent(in: [(1 << 3) | 2, 1, 0x40, 0x00]))
        #expect(OpusInbandFEC.isPresent(in: [(1 << 3) | 3, 0x80 | 0x40 | 2, 1, 1, 0x40, 0x00]))
        #expect(!OpusInbandFEC.isPresent(in: [1 << 3, 0x80]), "the voice-activity bit is not the LBRR bit")
        var random = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let packet = (0..<Int.random(in: 0...8, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            _ = OpusInbandFEC.isPresent(in: packet)
        }
    }
}

@Suite("A voice-like test signal")
struct VoiceLikeSourceTests {
    /// Of 200 packets encoded at 32 kbit/s with 5% expected loss: how many carry FEC, and how many are CELT-only.
    static func encode(_ next: () -> AudioFrame) throws -> (fec: Int, celt: Int) {
        var configuration = OpusEncoder.Configuration()
        configuration.expectedPacketLossPercent = 5
        let encoder = try OpusEncoder(configuration: configuration)
        var fec = 0
        var celt = 0
        for _ in 0..<200 {
            let packet = try encoder.encode(next().samples)
            if OpusInbandFEC.isPresent(in: packet) { fec += 1 }
            if packet[0] >> 3 >= 16 { celt += 1 }
        }
        return (fec, celt)
    }

    @Test("Opus codes the voice-like signal as speech, with FEC in at least 80% of its packets at 5% expected loss, where a steady tone gets it in under a quarter")
    func opusTakesItForSpeech() throws {
        var voice = try VoiceLikeSource()
        var tone = try ToneSource()
        let voiced = try Self.encode { voice.nextFrame() }
        let toned = try Self.encode { tone.nextFrame() }
        #expect(voiced.fec >= 160, "\(voiced.fec) of 200 voice packets carry FEC")
        #expect(voiced.celt == 0)
        #expect(toned.fec < 50, "\(toned.fec) of 200 tone packets carry FEC")
    }

    @Test("frames are 20 ms, back to back, never silent, never clipped, the same on every channel and the same on every run")
    func framesAreContinuousAndDeterministic() throws {
        var first = try VoiceLikeSource(channelCount: 2)
        var second = try VoiceLikeSource(channelCount: 2)
        for index in 0..<50 {
            let frame = first.nextFrame()
            #expect(frame.samplesPerChannel == 960)
            #expect(frame.timestamp == .milliseconds(20 * index))
            #expect(frame.samples == second.nextFrame().samples)
            #expect(OpusRoundTripTests.rms(frame.samples) > 100)
            #expect(frame.samples.allSatisfy { $0 > Int16.min && $0 < Int16.max })
            #expect(stride(from: 0, to: frame.samples.count, by: 2).allSatisfy { frame.samples[$0] == frame.samples[$0 + 1] })
        }
        #expect(throws: CodecError.self) { try VoiceLikeSource(channelCount: 0) }
        #expect(throws: CodecError.self) { try VoiceLikeSource(level: 2) }
    }
}
