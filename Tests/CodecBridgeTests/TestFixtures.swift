import CodecBridge
import Foundation
import Testing

/// Shared helpers for the CodecBridge tests.
enum TestFixtures {
    /// A fresh path in the temporary directory; the caller removes the file.
    static func temporaryPath(_ suffix: String) -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("codecbridge-\(UUID().uuidString)\(suffix)").path
    }

    /// Writes `bytes` to a fresh temporary file and returns its path.
    static func temporaryFile(containing bytes: [UInt8], suffix: String) throws -> String {
        let path = temporaryPath(suffix)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The file's bytes.
    static func contents(of path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Removes a file, ignoring a missing one.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Encodes `count` test-pattern frames at the given size and bitrate.
    static func encodePattern(
        width: Int = 320, height: Int = 240, count: Int, bitrate: Int = 1_000_000
    ) throws -> (source: [I420Frame], encoded: [EncodedVideoFrame]) {
        var pattern = try TestPatternSource(width: width, height: height, frameRate: 30)
        let encoder = try VP8Encoder(configuration: .init(width: width, height: height, frameRate: 30, bitrate: bitrate))
        var sources: [I420Frame] = []
        var encoded: [EncodedVideoFrame] = []
        for _ in 0..<count {
            let frame = pattern.nextFrame()
            sources.append(frame)
            let output = try encoder.encode(frame)
            try #require(output.count == 1, "one picture in gives one frame out")
            encoded += output
        }
        return (sources, encoded)
    }

    /// The root mean square of `samples` (0 for none).
    static func rms(_ samples: [Int16]) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }

    /// The power at `frequency` of `samples` taken at `sampleRate` Hz
    /// (a Goertzel filter over a Hann window).
    static func goertzelPower(_ samples: [Int16], at frequency: Double, sampleRate: Double) -> Double {
        let coefficient = 2 * cos(2 * .pi * frequency / sampleRate)
        var previous = 0.0
        var beforePrevious = 0.0
        for (index, sample) in samples.enumerated() {
            let window = 0.5 - 0.5 * cos(2 * .pi * Double(index) / Double(samples.count - 1))
            let current = Double(sample) * window + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
    }
}

/// A small deterministic pseudo-random generator (SplitMix64) so fuzz-style
/// tests see the same inputs on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == UInt8 {
    /// `count` pseudo-random bytes.
    static func random(count: Int, using generator: inout SeededGenerator) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }
}
