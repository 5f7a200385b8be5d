/// Conversions between `Duration` timestamps (what this module uses) and tick
/// counts of a media clock: 90 kHz for video RTP, 48 kHz for Opus RTP, or an
/// IVF time base.
public enum MediaTime {
    private static let attosecondsPerSecond: Int128 = 1_000_000_000_000_000_000

    /// The number of ticks of a `clockRate` Hz clock in `duration`, rounded to
    /// the nearest tick (halves away from zero).
    ///
    /// `ticks(.milliseconds(20), clockRate: 48_000)` is 960; frame 1 of a
    /// 30 fps stream (`Duration.seconds(1) / 30`) is 3,000 ticks at 90 kHz.
    /// Results beyond the range of `Int64` are clamped.
    public static func ticks(_ duration: Duration, clockRate: Int) -> Int64 {
        let components = duration.components
        let total = Int128(components.seconds) * attosecondsPerSecond + Int128(components.attoseconds)
        let (scaled, overflow) = total.multipliedReportingOverflow(by: Int128(clockRate))
        if overflow { return (total < 0) == (clockRate < 0) ? Int64.max : Int64.min }
        let half = attosecondsPerSecond / 2
        let rounded = scaled >= 0
            ? (scaled + half) / attosecondsPerSecond
            : (scaled - half) / attosecondsPerSecond
        if rounded > Int128(Int64.max) { return Int64.max }
        if rounded < Int128(Int64.min) { return Int64.min }
        return Int64(rounded)
    }

    /// The time `ticks` ticks of a `clockRate` Hz clock last (exact to the attosecond).
    public static func duration(ticks: Int64, clockRate: Int) -> Duration {
        precondition(clockRate > 0, "clock rate must be positive")
        return Duration.seconds(ticks) / clockRate
    }

    /// The time `ticks` ticks of a clock whose tick lasts
    /// `timebaseNumerator / timebaseDenominator` seconds last (an IVF or Y4M time
    /// base), exact to the attosecond and clamped to ±2⁶³ seconds; zero if the
    /// time base is not positive.
    public static func duration(ticks: Int64, timebaseNumerator: Int, timebaseDenominator: Int) -> Duration {
        guard timebaseNumerator > 0, timebaseDenominator > 0 else { return .zero }
        let product = Int128(ticks) * Int128(timebaseNumerator)
        let denominator = Int128(timebaseDenominator)
        var seconds = product / denominator
        var remainder = product % denominator
        if remainder < 0 {
            seconds -= 1
            remainder += denominator
        }
        if seconds > Int128(Int64.max) { return .seconds(Int64.max) }
        if seconds < Int128(Int64.min) { return .seconds(Int64.min) }
        let attoseconds = remainder * attosecondsPerSecond / denominator
        return Duration(secondsComponent: Int64(seconds), attosecondsComponent: Int64(attoseconds))
    }
}
