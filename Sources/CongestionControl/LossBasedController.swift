#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// GCC's loss-based controller (draft-ietf-rmcat-gcc-02 6): a limit on the
/// send rate that loss sets, beside the delay-based estimate.
///
/// Loss is taken over at least ``minimumPackets`` reported packets. Over
/// 10% (and at least ``minimumLostForDecrease`` packets) lowers the limit to (1 - loss/2) of the rate in force (or of what
/// the path delivered, when that is less: a queue overflowing), at most once
/// per round trip plus 300 ms; under 2% lets it grow again by 8% per
/// second until it no longer limits anything; between the two it holds.
/// Some loss is normal on a path with no queue to blame (radio links), which
/// is why 2-10% changes nothing.
public struct LossBasedController: Sendable {
    /// The fewest packets one loss measure is taken over.
    public static let minimumPackets = 20
    /// Loss above this lowers the limit.
    public static let highLoss = 0.10
    /// The fewest packets lost in one measure for a decrease: at 5% random
    /// loss (a radio link), 3 of 20 packets lost is common and says nothing.
    public static let minimumLostForDecrease = 5
    /// Loss below this lets the limit rise.
    public static let lowLoss = 0.02

    /// The limit on the send rate in bits per second; nil when loss limits nothing.
    public private(set) var limit: Double?
    /// The loss of the last measure, from 0 to 1.
    public private(set) var lossFraction = 0.0
    private var lost = 0
    private var total = 0
    private var lastDecrease: Duration?
    private var lastUpdate: Duration?

    /// Creates a controller with no limit.
    public init() {}

    /// Adds what one feedback reported (`lost` of `total` packets) and, once
    /// enough packets are in, updates the limit against `target`, the rate
    /// in force, and `delivered`, the rate the path delivered lately.
    public mutating func add(
        lost: Int, of total: Int, target: Double, delivered: Double? = nil, roundTrip: Duration, at now: Duration
    ) {
        self.lost += lost
        self.total += total
        guard self.total >= Self.minimumPackets else { return }
        let fraction = Double(self.lost) / Double(self.total)
        let enoughLost = self.lost >= Self.minimumLostForDecrease
        self.lost = 0
        self.total = 0
        update(lossFraction: fraction, target: target, delivered: delivered, roundTrip: roundTrip, at: now, mayDecrease: enoughLost)
    }

    /// Updates the limit from a measured loss fraction (also what a
    /// receiver report's `fraction lost` gives, where there is no
    /// transport-wide feedback).
    /// `mayDecrease` false says the loss is too few packets to tell from
    /// chance: high loss then holds the limit instead of lowering it.
    public mutating func update(
        lossFraction fraction: Double, target: Double, delivered: Double? = nil, roundTrip: Duration, at now: Duration,
        mayDecrease: Bool = true
    ) {
        lossFraction = fraction
        let elapsed = lastUpdate.map { min(now - $0, .seconds(1)) } ?? .zero
        lastUpdate = now
        if fraction > Self.highLoss {
            guard mayDecrease, lastDecrease.map({ now - $0 >= roundTrip + .milliseconds(300) }) ?? true else { return }
            limit = min(limit ?? target, target, delivered ?? target) * (1 - fraction / 2)
            lastDecrease = now
        } else if fraction < Self.lowLoss, let current = limit {
            let raised = current * pow(1.08, elapsed.seconds)
            limit = raised >= target ? nil : raised
        }
    }
}
