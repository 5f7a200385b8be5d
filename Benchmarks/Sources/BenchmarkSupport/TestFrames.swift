/// Encoded-frame stand-ins of typical sizes for the packetization benchmarks.
///
/// The bytes are pseudo-random (a fixed-seed generator, so every run packetizes
/// the same bytes); only the first byte follows VP8: its low bit (the P bit of
/// the VP8 payload header) is 0 for a key frame and 1 for a delta frame.
public enum TestFrames {
    /// A typical VP8 delta frame at 720p and about 1.2 Mbit/s: 5 KB.
    public static let deltaFrameSize = 5_000
    /// A typical VP8 key frame at the same settings: 40 KB.
    public static let keyFrameSize = 40_000

    /// A frame of `size` bytes (at least 1).
    public static func vp8(size: Int, keyFrame: Bool, seed: UInt64 = 0x5EED) -> [UInt8] {
        precondition(size > 0, "a frame needs at least one byte")
        var generator = SplitMix64(seed: seed)
        var frame = [UInt8](repeating: 0, count: size)
        for index in frame.indices {
            frame[index] = UInt8(truncatingIfNeeded: generator.next())
        }
        frame[0] = keyFrame ? (frame[0] & 0xFE) : (frame[0] | 0x01)
        return frame
    }
}

/// A small deterministic generator (SplitMix64) for test bytes.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}
