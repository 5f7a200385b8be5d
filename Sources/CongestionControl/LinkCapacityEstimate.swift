/// What rate control believes the path's capacity is: the average of the
/// acknowledged bitrate at each over-use, with its spread.
///
/// While the estimate is near this capacity it only creeps up (additive
/// increase); far from it, or with no capacity known yet, it grows
/// multiplicatively. An acknowledged bitrate far outside the spread means
/// the path changed, and the average starts again.
struct LinkCapacityEstimate: Sendable {
    /// The weight of each new sample.
    static let smoothing = 0.05
    /// The spread's bounds, as a variance relative to the average (kbit/s).
    static let deviationRange = 0.4...2.5

    /// The average, in bits per second; nil when unknown.
    private(set) var average: Double?
    /// Variance of the samples divided by the average, both in kbit/s.
    private var deviation = 0.4

    /// Notes the acknowledged bitrate at an over-use.
    mutating func add(_ sample: Double) {
        let sampleKbps = sample / 1_000
        guard let current = average.map({ $0 / 1_000 }) else {
            average = sample
            return
        }
        let updated = (1 - Self.smoothing) * current + Self.smoothing * sampleKbps
        let error = updated - sampleKbps
        deviation = (1 - Self.smoothing) * deviation + Self.smoothing * error * error / max(updated, 1)
        deviation = min(max(deviation, Self.deviationRange.lowerBound), Self.deviationRange.upperBound)
        average = updated * 1_000
    }

    /// Forgets the capacity: the path changed.
    mutating func reset() { average = nil }

    /// Three standard deviations above the average, in bits per second.
    var upperBound: Double? { average.map { $0 + spread(of: $0) } }
    /// Three standard deviations below the average, in bits per second.
    var lowerBound: Double? { average.map { max($0 - spread(of: $0), 0) } }

    private func spread(of average: Double) -> Double {
        let kbps = average / 1_000
        return 3 * (deviation * kbps).squareRoot() * 1_000
    }
}
