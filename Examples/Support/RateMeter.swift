/// Frames per second and bits per second over the last interval.
public struct RateMeter: Sendable {
    private var lastTime = ContinuousClock.now
    private var lastFrames = 0
    private var lastBytes = 0

    /// Creates a meter starting now.
    public init() {}

    /// The rates since the previous call.
    public mutating func sample(frames: Int, bytes: Int) -> (fps: Double, kbps: Int) {
        let now = ContinuousClock.now
        let (seconds, attoseconds) = (now - lastTime).components
        let elapsed = max(0.001, Double(seconds) + Double(attoseconds) * 1e-18)
        defer {
            lastTime = now
            lastFrames = frames
            lastBytes = bytes
        }
        return (Double(frames - lastFrames) / elapsed, Int(Double(bytes - lastBytes) * 8 / elapsed / 1000))
    }
}
