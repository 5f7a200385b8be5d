import Foundation

/// The power of one frequency in PCM (the Goertzel algorithm): how a test
/// checks what a tone's frequency is, by measuring it.
public enum Goertzel {
    /// The power at `frequency` of `samples` taken at `sampleRate`.
    public static func power(_ samples: [Int16], at frequency: Double, sampleRate: Double = 48_000) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / sampleRate)
        var (previous, beforePrevious) = (0.0, 0.0)
        for sample in samples {
            let current = Double(sample) + coefficient * previous - beforePrevious
            beforePrevious = previous
            previous = current
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious
    }
}
