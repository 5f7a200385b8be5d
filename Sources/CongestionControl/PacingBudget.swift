/// How many bytes a pacer may send now: a bucket that fills at the pacing
/// rate and holds at most one ``interval`` of it, so packets leave in small
/// bursts (about every 5 ms) instead of a whole frame at once.
///
/// A packet may go whenever the bucket is above zero, and its size is taken
/// from it even when that makes the level negative: a large packet is never
/// stuck, and the debt delays the next one. Sans-IO: the driver calls
/// ``refill(at:)`` when it wakes (every ``interval`` while packets wait),
/// then sends while ``mayAdvance`` says so.
public struct PacingBudget: Sendable {
    /// How often a pacer wakes while packets wait, and the longest burst it sends at once.
    public static let interval: Duration = .milliseconds(5)
    /// The pacing rate as a multiple of the target bitrate, so that a
    /// frame larger than average still leaves well within its frame interval.
    public static let pacingFactor = 2.5

    /// The rate the bucket fills at, in bits per second.
    public var rate: Double
    /// Bytes that may be sent now (negative: a debt to wait off).
    public private(set) var level = 0.0
    private var lastRefill: Duration?

    /// Creates a budget that fills at `rate` bits per second.
    public init(rate: Double) {
        self.rate = rate
    }

    /// Adds what the rate earned since the last refill, up to one interval's worth.
    public mutating func refill(at now: Duration) {
        let elapsed = lastRefill.map { max(now - $0, .zero) } ?? Self.interval
        lastRefill = now
        let ceiling = rate * Self.interval.seconds / 8
        level = min(level + rate * elapsed.seconds / 8, ceiling)
    }

    /// Whether a packet may leave now.
    public var mayAdvance: Bool { level > 0 }

    /// Takes a packet of `size` bytes from the budget.
    public mutating func spend(_ size: Int) {
        level -= Double(size)
    }
}
