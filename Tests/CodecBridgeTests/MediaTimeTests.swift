import CodecBridge
import Testing

@Suite("media clock conversions")
struct MediaTimeTests {
    @Test("30 fps frame times land exactly on 90 kHz ticks")
    func videoTicks() {
        for frame in [0, 1, 2, 29, 30, 1_000, 107_999] {
            let timestamp = Duration.seconds(frame) / 30
            #expect(MediaTime.ticks(timestamp, clockRate: 90_000) == Int64(3_000 * frame))
        }
    }

    @Test("20 ms of Opus is 960 ticks at 48 kHz and back")
    func audioTicks() {
        #expect(MediaTime.ticks(.milliseconds(20), clockRate: 48_000) == 960)
        #expect(MediaTime.duration(ticks: 960, clockRate: 48_000) == .milliseconds(20))
    }

    @Test("ticks round to the nearest, halves away from zero")
    func rounding() {
        #expect(MediaTime.ticks(.microseconds(5), clockRate: 100_000) == 1)  // 0.5 tick
        #expect(MediaTime.ticks(.microseconds(4), clockRate: 100_000) == 0)  // 0.4 tick
        #expect(MediaTime.ticks(.microseconds(-5), clockRate: 100_000) == -1)
    }

    @Test("time bases like 1001/30000 convert exactly")
    func timebases() {
        let duration = MediaTime.duration(ticks: 3, timebaseNumerator: 1_001, timebaseDenominator: 30_000)
        #expect(duration == Duration.seconds(3_003) / 30_000)
        #expect(MediaTime.duration(ticks: -1, timebaseNumerator: 1, timebaseDenominator: 2) == .milliseconds(-500))
        #expect(MediaTime.duration(ticks: 5, timebaseNumerator: 0, timebaseDenominator: 2) == .zero)
    }

    @Test("extreme values clamp instead of trapping")
    func extremes() {
        #expect(MediaTime.duration(ticks: .max, timebaseNumerator: Int(UInt32.max), timebaseDenominator: 1)
            == .seconds(Int64.max))
        #expect(MediaTime.duration(ticks: .min, timebaseNumerator: Int(UInt32.max), timebaseDenominator: 1)
            == .seconds(Int64.min))
        #expect(MediaTime.ticks(.seconds(Int64.max), clockRate: 90_000) == .max)
    }
}
