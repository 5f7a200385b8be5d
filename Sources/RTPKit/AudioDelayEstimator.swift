/// Learns how long audio packets must wait so that nearly all of them are
/// in time: a high quantile of each packet's delay relative to the fastest
/// packet of the last couple of seconds, in the spirit of NetEq.
///
/// A packet's *transit* is its arrival time minus its media time (RTP
/// timestamp over clock rate); the unknown clock offset between the two
/// sides is the same for every packet. The smallest transit of the recent
/// window is the path without queueing; each packet's transit above it goes
/// into a histogram that slowly forgets, and ``targetDelay`` is the chosen
/// quantile of that histogram.
///
/// Early on the histogram misleads: its first delays were measured against
/// a smallest transit of only a few packets, which later ones undercut, so
/// they read too low. Until the window has filled once (2 s), the target is
/// therefore at least the spread of the window's transits, largest minus
/// smallest, which is right as soon as a fast and a slow packet have come.
///
/// Fixed memory; noting a packet does not allocate.
public struct AudioDelayEstimator: Sendable {
    /// Width of one histogram bin.
    public static let binWidth: Duration = .milliseconds(2)
    /// Delays at or above this land in the last bin.
    public static let histogramRange: Duration = .milliseconds(1000)
    /// How many recent packets the smallest transit is taken over (2 s of 20 ms packets).
    public static let transitWindow = 100

    private let quantile: Double
    private let forgetting: Double
    private var histogram: [Double]
    private var total = 0.0
    /// The weight the next sample gets; it grows so that older ones count
    /// less, which is forgetting without touching every bin per packet.
    private var weight = 1.0
    private var transits: [Int64]
    private var transitCount = 0
    /// Whether the window has held `transitWindow` packets since the start.
    private var hasFilledWindow = false
    private var nextTransit = 0
    /// The smallest transit of the window, in nanoseconds.
    public private(set) var minimumTransit: Int64?
    /// The largest transit of the window minus the smallest, in nanoseconds.
    public private(set) var transitSpread: Int64 = 0

    /// Creates an estimator.
    ///
    /// - Parameters:
    ///   - quantile: The share of packets that should be in time (0.97 by default).
    ///   - memory: Roughly how many packets the histogram remembers (about 4 s of 20 ms packets by default).
    public init(quantile: Double = 0.97, memory: Int = 200) {
        self.quantile = min(max(quantile, 0.5), 1)
        forgetting = 1 - 1 / Double(max(memory, 2))
        let bins = Int(Self.histogramRange / Self.binWidth)
        histogram = [Double](repeating: 0, count: bins)
        transits = [Int64](repeating: 0, count: Self.transitWindow)
    }

    /// Whether any packet has been noted since the start or the last ``reset()``.
    public var isEmpty: Bool { transitCount == 0 }

    /// Notes one packet's transit, in nanoseconds (arrival minus media time).
    public mutating func note(transit: Int64) {
        transits[nextTransit] = transit
        nextTransit = (nextTransit + 1) % transits.count
        transitCount = min(transitCount + 1, transits.count)
        if transitCount == transits.count { hasFilledWindow = true }
        var smallest = transit
        var largest = transit
        for index in 0..<transitCount {
            smallest = min(smallest, transits[index])
            largest = max(largest, transits[index])
        }
        minimumTransit = smallest
        transitSpread = largest - smallest

        let relative = transit - smallest
        let bin = min(Int(relative / Self.binWidth.nanoseconds), histogram.count - 1)
        histogram[bin] += weight
        total += weight
        weight /= forgetting
        if weight > 1e100 { rescale() }
    }

    /// The delay, above the fastest packet's, that the quantile of packets
    /// stay within: the upper edge of the bin where the quantile falls (and,
    /// until the transit window has filled once, at least the window's
    /// spread). Zero before any packet.
    public var targetDelay: Duration {
        guard total > 0 else { return .zero }
        let quantileDelay = histogramQuantile
        guard isWarmingUp else { return quantileDelay }
        let bins = Int((transitSpread + Self.binWidth.nanoseconds - 1) / Self.binWidth.nanoseconds)
        return max(quantileDelay, Self.binWidth * min(bins, histogram.count))
    }

    /// Whether the transit window has not yet filled once since the start.
    public var isWarmingUp: Bool { !hasFilledWindow }

    private var histogramQuantile: Duration {
        let wanted = total * quantile
        var sum = 0.0
        for (bin, count) in histogram.enumerated() {
            sum += count
            if sum >= wanted { return Self.binWidth * (bin + 1) }
        }
        return Self.histogramRange
    }

    /// Forgets the transit window (the clocks' offset changed: a new
    /// stream, a jump in its timestamps); the histogram, which has learned
    /// the jitter, stays.
    public mutating func resetTransits() {
        transitCount = 0
        nextTransit = 0
        minimumTransit = nil
        transitSpread = 0
    }

    private mutating func rescale() {
        for bin in histogram.indices { histogram[bin] /= weight }
        total /= weight
        weight = 1
    }
}
