#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GCC's rate control (draft-ietf-rmcat-gcc-02 5.5): additive or
/// multiplicative increase while the path shows no over-use, and a
/// decrease to ``decreaseFactor`` of the acknowledged bitrate when it does.
///
/// - Over-use: decrease, at most once per response time (round trip +
///   100 ms), then hold.
/// - Under-use: hold (a queue drains; the rate that filled it was too high).
/// - Normal: increase. Multiplicatively (8% per second) while the capacity
///   is unknown or far away; additively (about one packet per response
///   time) near the capacity seen at earlier over-uses.
///
/// The estimate never grows beyond 1.5 times the acknowledged bitrate plus
/// 10 kbit/s: a sender that does not use what it has (application-limited)
/// learns nothing about the path, so its estimate must not run away.
public struct AIMDRateController: Sendable {
    /// The decrease on over-use, relative to the acknowledged bitrate (the draft's beta).
    public static let decreaseFactor = 0.85
    /// The multiplicative increase per second.
    public static let increasePerSecond = 1.08
    /// How far above the acknowledged bitrate an increase may go.
    public static let acknowledgedHeadroom = 1.5

    private enum State { case increase, hold }

    /// The estimate, in bits per second.
    public private(set) var bitrate: Double
    private let range: ClosedRange<Double>
    private var state = State.increase
    private var lastUpdate: Duration?
    private var lastDecrease: Duration?
    private var capacity = LinkCapacityEstimate()

    /// Creates a controller that starts at `startBitrate` and stays within `range` (bits per second).
    public init(startBitrate: Double, range: ClosedRange<Double>) {
        self.range = range
        bitrate = min(max(startBitrate, range.lowerBound), range.upperBound)
    }

    /// Whether the last update increased (or would have); false while holding after an over-use or under-use.
    public var isIncreasing: Bool { state == .increase }

    /// The capacity seen at earlier over-uses, when there is one.
    public var linkCapacity: Double? { capacity.average }

    /// Updates the estimate with the detector's verdict at `now`.
    ///
    /// - Parameters:
    ///   - usage: The delay-based detector's latest conclusion.
    ///   - acknowledged: What the path delivered lately, if known.
    ///   - roundTrip: The current round trip.
    @discardableResult
    public mutating func update(usage: BandwidthUsage, acknowledged: Double?, roundTrip: Duration, at now: Duration) -> Double {
        let elapsed = lastUpdate.map { min(now - $0, .seconds(1)) } ?? .zero
        lastUpdate = now
        let responseTime = roundTrip + .milliseconds(100)
        switch usage {
        case .overusing:
            if lastDecrease.map({ now - $0 >= responseTime }) ?? true { decrease(acknowledged: acknowledged, at: now) }
            state = .hold
        case .underusing:
            state = .hold
        case .normal:
            state = .increase
            increase(elapsed: elapsed, acknowledged: acknowledged, responseTime: responseTime)
        }
        bitrate = min(max(bitrate, range.lowerBound), range.upperBound)
        return bitrate
    }

    /// Sets the estimate outright (from a probe's measured rate), within the range.
    public mutating func setBitrate(_ value: Double, at now: Duration) {
        bitrate = min(max(value, range.lowerBound), range.upperBound)
        lastUpdate = now
    }

    private mutating func decrease(acknowledged: Double?, at now: Duration) {
        guard let acknowledged else {
            bitrate *= Self.decreaseFactor
            lastDecrease = now
            return
        }
        if let lower = capacity.lowerBound, acknowledged < lower { capacity.reset() }
        var decreased = Self.decreaseFactor * acknowledged
        if decreased > bitrate, let average = capacity.average { decreased = Self.decreaseFactor * average }
        bitrate = min(bitrate, decreased)
        capacity.add(acknowledged)
        lastDecrease = now
    }

    private mutating func increase(elapsed: Duration, acknowledged: Double?, responseTime: Duration) {
        if let upper = capacity.upperBound, bitrate > upper { capacity.reset() }
        let seconds = elapsed.seconds
        var increased: Double
        if capacity.average != nil {
            increased = bitrate + additiveIncreasePerSecond(responseTime: responseTime) * seconds
        } else {
            increased = bitrate + max(bitrate * (pow(Self.increasePerSecond, seconds) - 1), 1_000 * min(seconds * 20, 1))
        }
        if let acknowledged { increased = min(increased, max(Self.acknowledgedHeadroom * acknowledged + 10_000, bitrate)) }
        bitrate = max(bitrate, increased)
    }

    /// About one packet per response time, for packets the size a 30 fps
    /// stream at this rate would send, and at least 4 kbit/s per second.
    private func additiveIncreasePerSecond(responseTime: Duration) -> Double {
        let bitsPerFrame = bitrate / 30
        let packetsPerFrame = (bitsPerFrame / (1_200 * 8)).rounded(.up)
        let bitsPerPacket = bitsPerFrame / max(packetsPerFrame, 1)
        return max(4_000, bitsPerPacket / responseTime.seconds)
    }
}
