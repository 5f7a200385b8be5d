/// A 64-bit NTP timestamp (RFC 5905): 32 bits of seconds since 1900-01-01
/// and 32 bits of fraction.
///
/// RTPKit never reads the clock: build one from a wall-clock reading taken by
/// the caller (``init(secondsSince1900:nanoseconds:)`` or
/// ``init(unixSeconds:nanoseconds:)``).
public struct NTPTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds between the NTP epoch (1900) and the Unix epoch (1970).
    public static let unixEpochOffset: UInt64 = 2_208_988_800

    /// The 64-bit wire value.
    public var rawValue: UInt64

    /// Creates a timestamp from its 64-bit wire value.
    public init(rawValue: UInt64) {
        self.rawValue = rawValue
    }

    /// Creates a timestamp from its seconds and fraction halves.
    public init(seconds: UInt32, fraction: UInt32) {
        rawValue = UInt64(seconds) << 32 | UInt64(fraction)
    }

    /// Creates a timestamp from seconds since 1900 (taken modulo 2^32, the NTP era)
    /// and nanoseconds (below one billion).
    public init(secondsSince1900 seconds: UInt64, nanoseconds: UInt32) {
        precondition(nanoseconds < 1_000_000_000, "nanoseconds must be below one second")
        let fraction = (UInt64(nanoseconds) << 32) / 1_000_000_000
        self.init(seconds: UInt32(truncatingIfNeeded: seconds), fraction: UInt32(fraction))
    }

    /// Creates a timestamp from seconds since 1970 (Unix time) and nanoseconds.
    public init(unixSeconds: Int64, nanoseconds: UInt32) {
        let seconds = UInt64(bitPattern: unixSeconds &+ Int64(Self.unixEpochOffset))
        self.init(secondsSince1900: seconds, nanoseconds: nanoseconds)
    }

    /// The seconds half.
    public var seconds: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    /// The fraction half, in units of 2^-32 s.
    public var fraction: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    /// The middle 32 bits: the NTP short format (16.16 fixed point) used by
    /// RTCP's LSR and the receiver's arrival time in RTT computation.
    public var middle32Bits: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 16) }

    /// The 24-bit abs-send-time value (6.18 fixed-point seconds).
    public var absoluteSendTime: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 14) & 0x00FF_FFFF }

    /// This timestamp moved by `duration` (wrapping around the NTP era).
    public func advanced(by duration: Duration) -> NTPTimestamp {
        let (seconds, attoseconds) = duration.components
        // Through nanoseconds, so the fraction arithmetic stays inside 64 bits.
        let wholeSeconds = UInt64(bitPattern: seconds) << 32
        let nanoseconds = attoseconds / 1_000_000_000
        let fraction = UInt64(bitPattern: (nanoseconds << 32) / 1_000_000_000)
        return NTPTimestamp(rawValue: rawValue &+ wholeSeconds &+ fraction)
    }

    /// Orders by wire value (within one NTP era).
    public static func < (lhs: NTPTimestamp, rhs: NTPTimestamp) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    /// `seconds.fraction` in hexadecimal.
    public var description: String {
        "NTP(\(seconds), 0x\(String(fraction, radix: 16)))"
    }

    /// Converts a duration in NTP short format (16.16 fixed-point seconds) to a `Duration`.
    public static func duration(fromShortFormat value: UInt32) -> Duration {
        // 10^18 / 2^16 is exactly 15_258_789_062_500 attoseconds.
        Duration(
            secondsComponent: Int64(value >> 16),
            attosecondsComponent: Int64(value & 0xFFFF) * 15_258_789_062_500)
    }

    /// Converts a duration to NTP short format (16.16 fixed-point seconds),
    /// rounding down and clamping to 0...0xFFFFFFFF.
    public static func shortFormat(from duration: Duration) -> UInt32 {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 || (seconds == 0 && attoseconds < 0) { return 0 }
        if seconds >= 0x10000 { return UInt32.max }
        return UInt32(seconds) << 16 | UInt32(attoseconds / 15_258_789_062_500)
    }
}
