/// Estimates whether the one-way queueing delay is rising, from the delay
/// between packet groups: the slope of a least-squares line through the
/// smoothed accumulated delay of the last ``windowSize`` groups, against
/// their arrival times (in the spirit of libwebrtc's trendline filter).
///
/// Fixed memory: a ring of ``windowSize`` points.
public struct TrendlineEstimator: Sendable {
    /// Groups the line is fitted over.
    public static let windowSize = 20
    /// Weight of the old value in the exponential smoothing of the accumulated delay.
    public static let smoothing = 0.9
    /// Scale from slope to the detector's signal.
    public static let gain = 4.0

    private var accumulatedDelay = 0.0
    private var smoothedDelay = 0.0
    private var firstArrival: Duration?
    private var points: [(x: Double, y: Double)]
    private var count = 0
    private var next = 0
    /// Groups seen so far.
    public private(set) var groups = 0
    /// The last slope fitted (delay milliseconds per arrival millisecond).
    public private(set) var slope = 0.0

    /// Creates an estimator.
    public init() {
        points = Array(repeating: (0, 0), count: Self.windowSize)
    }

    /// Adds one group's delay and returns the detector's signal: the slope
    /// scaled by the number of groups seen (at most 60) and ``gain``, in
    /// milliseconds, so that a sustained rise weighs more than a blip.
    public mutating func add(_ delta: PacketGroupAccumulator.GroupDelta) -> Double {
        let arrivalMilliseconds = delta.arrival.milliseconds
        let first = firstArrival ?? delta.arrival
        firstArrival = first
        groups += 1
        accumulatedDelay += (delta.arrivalDelta - delta.sendDelta).milliseconds
        smoothedDelay = Self.smoothing * smoothedDelay + (1 - Self.smoothing) * accumulatedDelay
        points[next] = (arrivalMilliseconds - first.milliseconds, smoothedDelay)
        next = (next + 1) % points.count
        count = min(count + 1, points.count)
        if count == points.count, let fitted = fitSlope() { slope = fitted }
        return Double(min(groups, 60)) * slope * Self.gain
    }

    /// The least-squares slope of the window, or nil when the x values do not spread.
    private func fitSlope() -> Double? {
        var sumX = 0.0
        var sumY = 0.0
        for index in 0..<count {
            sumX += points[index].x
            sumY += points[index].y
        }
        let meanX = sumX / Double(count)
        let meanY = sumY / Double(count)
        var numerator = 0.0
        var denominator = 0.0
        for index in 0..<count {
            let dx = points[index].x - meanX
            numerator += dx * (points[index].y - meanY)
            denominator += dx * dx
        }
        return denominator > 0 ? numerator / denominator : nil
    }
}
