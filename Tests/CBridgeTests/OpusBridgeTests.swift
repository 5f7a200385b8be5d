import COpus
import Foundation
import Testing

@Suite("libopus bridge")
struct OpusBridgeTests {
    static let sampleRate: Int32 = 48_000
    static let frameSize = 960  // 20 ms at 48 kHz
    static let frameCount = 15
    static let toneFrequency = 440.0
    static let amplitude = 0.5
    static let maxPacketBytes = 4_000

    /// Consecutive 20 ms frames of a continuous 440 Hz sine at the given amplitude.
    static func sineFrames() -> [[Int16]] {
        (0..<frameCount).map { frame in
            (0..<frameSize).map { index in
                let n = Double(frame * frameSize + index)
                let value = amplitude * sin(2 * Double.pi * toneFrequency * n / Double(sampleRate))
                return Int16((value * Double(Int16.max)).rounded())
            }
        }
    }

    static func rms(_ samples: [Int16]) -> Double {
        let sumOfSquares = samples.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (sumOfSquares / Double(samples.count)).squareRoot()
    }

    /// Power of `samples` at `frequency` (Goertzel algorithm over a Hann-windowed block).
    static func goertzelPower(_ samples: [Int16], frequency: Double) -> Double {
        let count = samples.count
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(sampleRate))
        var previous = 0.0
        var beforePrevious = 0.0
        for (index, sample) in samples.enumerated() {
            let window = 0.5 - 0.5 * cos(2 * Double.pi * Double(index) / Double(count - 1))
            let current = Double(sample) * window + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
    }

    /// Encodes `frames` at `bitrate` and returns the packets.
    static func encode(_ frames: [[Int16]], bitrate: Int32) throws -> [[UInt8]] {
        var error: Int32 = OPUS_OK
        let encoder = try #require(opus_encoder_create(sampleRate, 1, OPUS_APPLICATION_AUDIO, &error))
        defer { opus_encoder_destroy(encoder) }
        try #require(error == OPUS_OK)
        try #require(copus_encoder_set_bitrate(encoder, bitrate) == OPUS_OK)
        try #require(copus_encoder_set_complexity(encoder, 10) == OPUS_OK)

        var packets: [[UInt8]] = []
        for frame in frames {
            var packet = [UInt8](repeating: 0, count: maxPacketBytes)
            let length = opus_encode(encoder, frame, Int32(frameSize), &packet, Int32(maxPacketBytes))
            try #require(length > 0, "opus_encode returned \(length)")
            packets.append(Array(packet.prefix(Int(length))))
        }
        return packets
    }

    @Test("library reports its version")
    func libraryVersion() throws {
        let version = try #require(opus_get_version_string())
        #expect(String(cString: version).contains("libopus"))
    }

    @Test("a 440 Hz tone survives an encode/decode round trip")
    func sineToneRoundTrip() throws {
        let input = Self.sineFrames()
        let packets = try Self.encode(input, bitrate: 64_000)
        #expect(packets.count == Self.frameCount)

        var error: Int32 = OPUS_OK
        let decoder = try #require(opus_decoder_create(Self.sampleRate, 1, &error))
        defer { opus_decoder_destroy(decoder) }
        try #require(error == OPUS_OK)

        var decodedFrames: [[Int16]] = []
        for packet in packets {
            var pcm = [Int16](repeating: 0, count: Self.frameSize)
            let samples = opus_decode(decoder, packet, Int32(packet.count), &pcm, Int32(Self.frameSize), 0)
            #expect(samples == Int32(Self.frameSize), "opus_decode returned \(samples)")
            decodedFrames.append(pcm)
        }

        // After the look-ahead has settled, the last frame carries the tone at about the input level.
        let lastInput = try #require(input.last)
        let lastOutput = try #require(decodedFrames.last)
        let inputRMS = Self.rms(lastInput)
        let outputRMS = Self.rms(lastOutput)
        #expect(outputRMS > inputRMS * 0.5, "decoded RMS \(outputRMS) vs input RMS \(inputRMS)")
        #expect(outputRMS < inputRMS * 2, "decoded RMS \(outputRMS) vs input RMS \(inputRMS)")

        let tonePower = Self.goertzelPower(lastOutput, frequency: Self.toneFrequency)
        for otherFrequency in [1_000.0, 3_000.0] {
            let otherPower = Self.goertzelPower(lastOutput, frequency: otherFrequency)
            #expect(
                tonePower > otherPower * 20,
                "power at 440 Hz \(tonePower) vs \(otherFrequency) Hz \(otherPower)"
            )
        }
    }

    @Test("the bitrate setting changes the packet sizes")
    func bitrateSettingTakesEffect() throws {
        let input = Self.sineFrames()
        let lowBytes = try Self.encode(input, bitrate: 12_000).reduce(0) { $0 + $1.count }
        let highBytes = try Self.encode(input, bitrate: 64_000).reduce(0) { $0 + $1.count }
        #expect(highBytes > lowBytes)
        // 64 kbit/s for 15 x 20 ms is 2,400 bytes; VBR lands within a factor of two of that.
        let nominalHighBytes = 64_000 / 8 * Self.frameCount * Self.frameSize / Int(Self.sampleRate)
        #expect(highBytes > nominalHighBytes / 2)
        #expect(highBytes < nominalHighBytes * 2)
    }
}
