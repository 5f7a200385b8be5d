import Testing
import RTPKit

@Suite("NTP timestamps")
struct NTPTimestampTests {
    @Test("seconds and nanoseconds convert to seconds and 2^-32 fractions")
    func fromSecondsSince1900() {
        let half = NTPTimestamp(secondsSince1900: 100, nanoseconds: 500_000_000)
        #expect(half.seconds == 100)
        #expect(half.fraction == 0x8000_0000)
        #expect(half.rawValue == 100 << 32 | 0x8000_0000)
        let quarter = NTPTimestamp(secondsSince1900: 0x1_0000_0005, nanoseconds: 250_000_000)
        #expect(quarter.seconds == 5)  // the era wraps
        #expect(quarter.fraction == 0x4000_0000)
    }

    @Test("Unix time maps onto the NTP epoch")
    func fromUnix() {
        // 2020-01-01T00:00:00Z is 1577836800 Unix seconds.
        let ntp = NTPTimestamp(unixSeconds: 1_577_836_800, nanoseconds: 0)
        #expect(UInt64(ntp.seconds) == 1_577_836_800 + 2_208_988_800)
        #expect(ntp.fraction == 0)
    }

    @Test("the middle 32 bits are the NTP short format")
    func middleBits() {
        let ntp = NTPTimestamp(seconds: 0x1234_5678, fraction: 0x9ABC_DEF0)
        #expect(ntp.middle32Bits == 0x5678_9ABC)
        #expect(ntp.absoluteSendTime == (0x5678_9ABC_DE >> 6) & 0xFF_FFFF)
    }

    @Test("short format converts to and from durations")
    func shortFormat() {
        #expect(NTPTimestamp.duration(fromShortFormat: 0x0001_8000) == .milliseconds(1500))
        #expect(NTPTimestamp.shortFormat(from: .milliseconds(1500)) == 0x0001_8000)
        #expect(NTPTimestamp.shortFormat(from: .milliseconds(-5)) == 0)
        #expect(NTPTimestamp.shortFormat(from: .seconds(70_000)) == UInt32.max)
        #expect(NTPTimestamp.duration(fromShortFormat: 1) == Duration(secondsComponent: 0, attosecondsComponent: 15_258_789_062_500))
    }

    @Test("advancing moves seconds and fraction, backwards too")
    func advance() {
        let start = NTPTimestamp(seconds: 10, fraction: 0x8000_0000)
        #expect(start.advanced(by: .milliseconds(500)) == NTPTimestamp(seconds: 11, fraction: 0))
        #expect(start.advanced(by: .milliseconds(-1500)) == NTPTimestamp(seconds: 9, fraction: 0))
        #expect(start < start.advanced(by: .nanoseconds(1)))
    }
}
