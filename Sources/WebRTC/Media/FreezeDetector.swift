/// Video freezes as Chromium counts them (W3C `freezeCount` and
/// `totalFreezesDuration`): a gap between two frames longer than both three
/// average frame intervals and the average plus 150 ms. The average is of
/// the intervals that were not freezes (each weighs 1/16), so one long gap
/// does not raise the bar for the next. Here the frames are the complete
/// encoded frames as they leave the depacketizer, just before decoding.
struct FreezeDetector {
    private var lastFrame: ContinuousClock.Instant?
    private var averageInterval: Duration?
    /// Freezes so far.
    private(set) var count = 0
    /// The time spent in them.
    private(set) var totalDuration: Duration = .zero

    /// Notes a frame that arrived at `now`.
    mutating func frame(at now: ContinuousClock.Instant) {
        defer { lastFrame = now }
        guard let last = lastFrame else { return }
        let interval = now - last
        guard let average = averageInterval else {
            averageInterval = interval
            return
        }
        if interval > max(average * 3, average + .milliseconds(150)) {
            count += 1
            totalDuration += interval
        } else {
            averageInterval = average * 15 / 16 + interval / 16
        }
    }
}
