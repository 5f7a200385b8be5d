import Testing
@testable import WebRTC

/// Video freezes as Chromium counts them.
@Suite("Freeze detection")
struct FreezeDetectorTests {
    let start = ContinuousClock.now

    @Test("steady 30 fps has no freeze; a 500 ms gap is one freeze of 500 ms; a gap of 2.5 frame intervals is none")
    func freezes() {
        var detector = FreezeDetector()
        var now = start
        for _ in 0..<30 {
            detector.frame(at: now)
            now += .milliseconds(33)
        }
        #expect(detector.count == 0)
        now += .milliseconds(467)  // 500 ms since the last frame
        detector.frame(at: now)
        #expect(detector.count == 1)
        #expect(detector.totalDuration == .milliseconds(500))
        now += .milliseconds(83)  // 2.5 intervals: late, but under average + 150 ms
        detector.frame(at: now)
        #expect(detector.count == 1)
    }

    @Test("at 5 fps the bar is three intervals: 450 ms is no freeze, 700 ms is")
    func slowFrameRate() {
        var detector = FreezeDetector()
        var now = start
        for _ in 0..<10 {
            detector.frame(at: now)
            now += .milliseconds(200)
        }
        now += .milliseconds(250)  // 450 ms since the last frame
        detector.frame(at: now)
        #expect(detector.count == 0)
        now += .milliseconds(700)
        detector.frame(at: now)
        #expect(detector.count == 1 && detector.totalDuration == .milliseconds(700))
    }
}
