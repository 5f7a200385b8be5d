/// The bitrate of what was sent (or received) over the last ``window``:
/// bytes counted into ten fixed buckets of a tenth of the window each, so
/// adding a packet never allocates.
public struct BitrateMeter: Sendable {
    /// How far back the rate looks.
    public let window: Duration
    private var buckets: [Int]
    /// The bucket (by index since time zero) each slot last counted for.
    private var bucketNumbers: [Int64]
    private var first: Duration?

    /// A meter over `window` (1 s by default).
    public init(window: Duration = .seconds(1)) {
        self.window = window
        buckets = Array(repeating: 0, count: 10)
        bucketNumbers = Array(repeating: -1, count: 10)
    }

    private func bucketNumber(at now: Duration) -> Int64 {
        let width = window / buckets.count
        return Int64((now.milliseconds / width.milliseconds).rounded(.down))
    }

    /// Counts `size` bytes at `now` (times never go back by more than a bucket).
    public mutating func add(_ size: Int, at now: Duration) {
        if first == nil { first = now }
        let number = bucketNumber(at: now)
        let slot = Int(number % Int64(buckets.count))
        if bucketNumbers[slot] != number {
            bucketNumbers[slot] = number
            buckets[slot] = 0
        }
        buckets[slot] += size
    }

    /// The rate in bits per second over about the window ending at `now`
    /// (over less, while less time has passed since the first packet).
    public func bitrate(at now: Duration) -> Double {
        guard let first else { return 0 }
        let newest = bucketNumber(at: now)
        var bytes = 0
        for (slot, number) in bucketNumbers.enumerated() where number > newest - Int64(buckets.count) && number <= newest {
            bytes += buckets[slot]
        }
        // From the start of the oldest bucket counted (or the first packet, if later) to now.
        let width = window.milliseconds / Double(buckets.count)
        let windowStart = Double(newest - Int64(buckets.count - 1)) * width
        let span = now.milliseconds - max(windowStart, first.milliseconds)
        return Double(bytes * 8) / (max(span, width) / 1_000)
    }
}
