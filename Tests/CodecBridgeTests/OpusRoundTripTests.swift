import CodecBridge
import Foundation
import Testing

@Suite("Opus encode and decode")
struct OpusRoundTripTests {
    static let sampleRate = 48_000.0

    /// `frames` consecutive 20 ms frames of a sine per channel (interleaved).
    static func tone(frequencies: [Double], frames: Int, amplitude: Double = 0.5) -> [[Int16]] {
        (0..<frames).map { frame in
            (0..<960).flatMap { index in
                frequencies.map { frequency in
                    let n = Double(frame * 960 + index)
                    return Int16((amplitude * sin(2 * .pi * frequency * n / sampleRate) * 32_767).rounded())
                }
            }
        }
    }

    /// One channel of interleaved samples.
    static func channel(_ samples: [Int16], _ index: Int, of count: Int) -> [Int16] {
        stride(from: index, to: samples.count, by: count).map { samples[$0] }
    }

    static func rms(_ samples: [Int16]) -> Double {
        TestFixtures.rms(samples)
    }

    /// Power at `frequency` at 48 kHz (Goertzel over a Hann window).
    static func power(_ samples: [Int16], at frequency: Double) -> Double {
        TestFixtures.goertzelPower(samples, at: frequency, sampleRate: sampleRate)
    }

    /// Whether `samples` carry `frequency` clearly above two other frequencies.
    static func carriesTone(_ samples: [Int16], _ frequency: Double, ratio: Double = 20) -> Bool {
        let tone = power(samples, at: frequency)
        return [frequency * 2.3, frequency * 0.37 + 1_700].allSatisfy { tone > power(samples, at: $0) * ratio }
    }

    @Test("a 440 Hz mono tone comes back at its level and pitch")
    func monoTone() throws {
        let encoder = try OpusEncoder(configuration: .init(channelCount: 1, bitrate: 48_000, application: .audio))
        let decoder = try OpusDecoder(channelCount: 1)
        #expect(encoder.sampleRate == 48_000 && encoder.samplesPerFrame == 960 && encoder.frameDuration == .milliseconds(20))
        let input = Self.tone(frequencies: [440], frames: 15)
        var output: [[Int16]] = []
        for frame in input {
            let packet = try encoder.encode(frame)
            #expect(!packet.isEmpty && packet.count <= OpusEncoder.maximumPacketSize)
            output.append(try decoder.decode(packet))
        }
        #expect(output.allSatisfy { $0.count == 960 })
        let last = try #require(output.last)
        let ratio = Self.rms(last) / Self.rms(input[14])
        #expect(ratio > 0.5 && ratio < 2, "level ratio \(ratio)")
        #expect(Self.carriesTone(last, 440))
    }

    @Test("stereo keeps a different tone on each channel")
    func stereoChannels() throws {
        let encoder = try OpusEncoder(configuration: .init(channelCount: 2, bitrate: 96_000, application: .audio))
        let decoder = try OpusDecoder(channelCount: 2)
        var last: [Int16] = []
        for frame in Self.tone(frequencies: [440, 1_000], frames: 15) {
            #expect(frame.count == 1_920)
            last = try decoder.decode(try encoder.encode(frame))
        }
        #expect(last.count == 1_920)
        let left = Self.channel(last, 0, of: 2)
        let right = Self.channel(last, 1, of: 2)
        #expect(Self.power(left, at: 440) > Self.power(left, at: 1_000) * 10)
        #expect(Self.power(right, at: 1_000) > Self.power(right, at: 440) * 10)
    }

    @Test("a lost packet is concealed with 20 ms that carry on the tone")
    func packetLossConcealment() throws {
        let encoder = try OpusEncoder(configuration: .init(channelCount: 1, bitrate: 32_000))
        let decoder = try OpusDecoder(channelCount: 1)
        let packets = try Self.tone(frequencies: [440], frames: 20).map { try encoder.encode($0) }
        var output: [[Int16]] = []
        for (index, packet) in packets.enumerated() {
            output.append(try decoder.decode(index == 12 ? nil : packet))
        }
        let concealed = output[12]
        #expect(concealed.count == 960, "the gap gets the last packet's length")
        #expect(Self.rms(concealed) > Self.rms(output[11]) * 0.2, "PLC is not silence")
        #expect(Self.carriesTone(concealed, 440, ratio: 5))
        // Decoding goes on normally after the gap.
        #expect(Self.carriesTone(output[19], 440))
    }

    @Test("in-band FEC rebuilds a lost packet from the next one")
    func forwardErrorCorrection() throws {
        var configuration = OpusEncoder.Configuration(channelCount: 1, bitrate: 32_000)
        configuration.expectedPacketLossPercent = 20
        let encoder = try OpusEncoder(configuration: configuration)
        let decoder = try OpusDecoder()
        let packets = try Self.tone(frequencies: [440], frames: 20).map { try encoder.encode($0) }
        for packet in packets[0..<12] { _ = try decoder.decode(packet) }
        let recovered = try decoder.decodeLost(usingFECFrom: packets[13])
        #expect(recovered.count == 960)
        #expect(Self.carriesTone(recovered, 440, ratio: 5))
        let next = try decoder.decode(packets[13])
        #expect(Self.carriesTone(next, 440))
    }

    @Test("a lower bitrate gives smaller packets, also when changed at run time")
    func bitrates() throws {
        let input = Self.tone(frequencies: [440, 660], frames: 25)
        func totalBytes(_ encoder: OpusEncoder, _ frames: ArraySlice<[Int16]>) throws -> Int {
            try frames.reduce(0) { $0 + (try encoder.encode($1)).count }
        }
        let low = try OpusEncoder(configuration: .init(channelCount: 2, bitrate: 16_000, application: .audio))
        let high = try OpusEncoder(configuration: .init(channelCount: 2, bitrate: 128_000, application: .audio))
        #expect(try totalBytes(low, input[...]) < totalBytes(high, input[...]))

        let changing = try OpusEncoder(configuration: .init(channelCount: 2, bitrate: 128_000, application: .audio))
        let before = try totalBytes(changing, input[0..<12])
        try changing.setBitrate(16_000)
        #expect(changing.bitrate == 16_000)
        _ = try totalBytes(changing, input[12..<13])
        let after = try totalBytes(changing, input[13..<25])
        #expect(after * 3 < before, "\(after) bytes after vs \(before) before")
    }

    @Test("encode(_:into:) reuses the caller's buffer")
    func encodeIntoBuffer() throws {
        let encoder = try OpusEncoder(configuration: .init())
        let reference = try OpusEncoder(configuration: .init())
        var packet: [UInt8] = []
        packet.reserveCapacity(OpusEncoder.maximumPacketSize)
        for frame in Self.tone(frequencies: [300], frames: 3) {
            try encoder.encode(frame, into: &packet)
            #expect(packet == (try reference.encode(frame)))
        }
    }

    @Test("bad settings and bad PCM lengths are refused")
    func invalidInput() throws {
        var bad: [OpusEncoder.Configuration] = [.init(channelCount: 3), .init(bitrate: 100)]
        var frameLength = OpusEncoder.Configuration()
        frameLength.frameDurationMilliseconds = 15
        var complexity = OpusEncoder.Configuration()
        complexity.complexity = 11
        bad += [frameLength, complexity]
        for configuration in bad {
            #expect { try OpusEncoder(configuration: configuration) } throws: {
                ($0 as? CodecError)?.code == .invalidConfiguration
            }
        }
        #expect { try OpusDecoder(channelCount: 0) } throws: { ($0 as? CodecError)?.code == .invalidConfiguration }

        let encoder = try OpusEncoder(configuration: .init(channelCount: 2))
        for length in [0, 959, 960, 1_921] {
            #expect { try encoder.encode([Int16](repeating: 0, count: length)) } throws: {
                ($0 as? CodecError)?.code == .invalidInput
            }
        }
        #expect { try encoder.setBitrate(1_000_000) } throws: { ($0 as? CodecError)?.code == .invalidConfiguration }
    }

    @Test("invalid packets throw corrupt-frame, and random bytes never crash the decoder")
    func malformedPackets() throws {
        let decoder = try OpusDecoder(channelCount: 2)
        // Empty; code 1 (two equal frames) with an odd payload; code 3 with zero
        // frames; code 3 with 49 frames (over 120 ms); code 2 with a length beyond the packet.
        let invalid: [[UInt8]] = [[], [0x01, 0xAA], [0x03, 0x00], [0x03, 49], [0x02, 250, 1, 2]]
        for packet in invalid {
            #expect("\(packet)") { try decoder.decode(packet) } throws: { ($0 as? CodecError)?.code == .corruptFrame }
        }
        #expect { try decoder.decodeLost(usingFECFrom: []) } throws: { ($0 as? CodecError)?.code == .corruptFrame }

        var generator = SeededGenerator(seed: 7)
        for _ in 0..<300 {
            let packet = [UInt8].random(count: Int.random(in: 1...1_500, using: &generator), using: &generator)
            do {
                let samples = try decoder.decode(packet)
                #expect(samples.count % 2 == 0 && samples.count <= 5_760 * 2)
            } catch let error as CodecError {
                #expect(error.code == .corruptFrame)
            }
        }
    }
}
