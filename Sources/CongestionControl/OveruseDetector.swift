/// Turns the trend signal into ``BandwidthUsage`` against a threshold that
/// adapts to the signal (GCC's over-use detector, draft-ietf-rmcat-gcc-02 5.4).
///
/// The threshold follows the signal's size: up towards it when the signal
/// is larger (so steady noise stops counting as a trend), and faster back
/// down when it is smaller, as libwebrtc tunes it. Over-use is declared when the signal has stayed
/// above the threshold for ``overuseTime`` and is not falling; under-use as
/// soon as it is below minus the threshold.
public struct OveruseDetector: Sendable {
    /// The threshold at the start, in milliseconds.
    public static let initialThreshold = 12.5
    /// The threshold's bounds, in milliseconds.
    public static let thresholdRange = 6.0...600.0
    /// How fast the threshold rises towards a larger signal, per millisecond
    /// (the draft's K_u; libwebrtc's value, slower than the draft's 0.01, so
    /// that a queue that grows slowly still crosses it).
    public static let risingGain = 0.008_7
    /// How fast the threshold falls towards a smaller signal, per millisecond
    /// (the draft's K_d; libwebrtc's value: after a spike it comes back to
    /// the noise in about a second, not a minute as with the draft's 0.00018).
    public static let fallingGain = 0.039
    /// How long the signal must stay above the threshold to count as over-use.
    public static let overuseTime: Duration = .milliseconds(10)
    /// A signal this far above the threshold is an outlier the threshold does not follow.
    public static let outlierMargin = 15.0

    /// The current threshold, in milliseconds.
    public private(set) var threshold = initialThreshold
    /// The last conclusion.
    public private(set) var usage = BandwidthUsage.normal
    private var lastUpdate: Duration?
    private var aboveSince: Duration?
    private var previousSignal = 0.0

    /// Creates a detector.
    public init() {}

    /// Notes the trend `signal` (milliseconds) at `now` (the group's arrival) and returns the conclusion.
    public mutating func detect(signal: Double, at now: Duration) -> BandwidthUsage {
        if signal > threshold {
            let since = aboveSince ?? now
            aboveSince = since
            if now - since >= Self.overuseTime, signal >= previousSignal { usage = .overusing }
        } else if signal < -threshold {
            aboveSince = nil
            usage = .underusing
        } else {
            aboveSince = nil
            usage = .normal
        }
        previousSignal = signal
        adaptThreshold(to: signal, at: now)
        return usage
    }

    private mutating func adaptThreshold(to signal: Double, at now: Duration) {
        defer { lastUpdate = now }
        guard let lastUpdate else { return }
        let magnitude = abs(signal)
        if magnitude > threshold + Self.outlierMargin { return }
        let gain = magnitude > threshold ? Self.risingGain : Self.fallingGain
        let elapsed = min((now - lastUpdate).milliseconds, 100)
        threshold += gain * (magnitude - threshold) * elapsed
        threshold = min(max(threshold, Self.thresholdRange.lowerBound), Self.thresholdRange.upperBound)
    }
}
