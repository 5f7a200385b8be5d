/// A token bucket: `burst` messages at once, refilled at `perSecond`.
/// Time is a parameter, so the limiter is deterministic under test.
struct RateLimiter: Sendable {
    private let burst: Double
    private let perSecond: Double
    private var tokens: Double
    private var lastRefill: ContinuousClock.Instant

    init(burst: Int, perSecond: Double, now: ContinuousClock.Instant) {
        self.burst = Double(burst)
        self.perSecond = perSecond
        self.tokens = Double(burst)
        self.lastRefill = now
    }

    /// Takes one token if there is one; returns whether the message may pass.
    mutating func allow(at now: ContinuousClock.Instant) -> Bool {
        let elapsed = now - lastRefill
        if elapsed > .zero {
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            tokens = min(burst, tokens + seconds * perSecond)
            lastRefill = now
        }
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
