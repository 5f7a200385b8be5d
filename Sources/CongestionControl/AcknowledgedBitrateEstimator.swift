/// The rate at which the path delivered the sender's packets, from the
/// arrivals that feedback reports: the bytes that arrived within the last
/// ``window``, divided by it.
///
/// This is what the path proved it carries, as opposed to what the
/// estimator hopes it carries; rate control decreases from it and never
/// lets its estimate run far ahead of it. Fixed memory: the window's
/// packets in a ring of ``capacity`` (more packets than that in one window
/// shorten the window to what the ring holds).
public struct AcknowledgedBitrateEstimator: Sendable {
    /// The span of arrivals the rate is taken over.
    public static let window: Duration = .milliseconds(250)
    /// The least span of arrivals before there is a rate at all.
    public static let minimumSpan: Duration = .milliseconds(150)
    /// How many arrivals the ring holds.
    public static let capacity = 1_024

    private var arrivals: [Duration]
    private var sizes: [Int]
    private var head = 0
    private var count = 0
    private var bytesInWindow = 0
    private var firstArrival: Duration?
    private var newest = Duration.zero

    /// Creates an estimator with no arrivals.
    public init() {
        arrivals = Array(repeating: .zero, count: Self.capacity)
        sizes = Array(repeating: 0, count: Self.capacity)
    }

    /// Notes that `size` bytes arrived at `arrival` (the receiver's clock).
    public mutating func add(arrival: Duration, size: Int) {
        if firstArrival == nil { firstArrival = arrival }
        newest = max(newest, arrival)
        if count == Self.capacity { dropOldest() }
        let index = (head + count) % Self.capacity
        arrivals[index] = arrival
        sizes[index] = size
        count += 1
        bytesInWindow += size
        while count > 0, arrivals[head] <= newest - Self.window { dropOldest() }
    }

    /// Bits per second over the window; nil until arrivals span ``minimumSpan``.
    public var bitrate: Double? {
        guard let firstArrival, count > 0 else { return nil }
        let full = count == Self.capacity ? newest - arrivals[head] : Self.window
        let span = min(full, newest - firstArrival)
        guard span >= Self.minimumSpan else { return nil }
        return Double(bytesInWindow * 8) / span.seconds
    }

    /// The span ``recentBitrate`` is taken over.
    public static let recentWindow: Duration = .milliseconds(100)

    /// Bits per second over the last ``recentWindow`` of arrivals (at least
    /// three packets), or nil. While a queue is building, packets leave the
    /// bottleneck back to back, so even this short span measures its
    /// capacity, without the older, faster arrivals the full window still holds.
    public var recentBitrate: Double? {
        guard count >= 3 else { return nil }
        var bytes = 0
        var packets = 0
        var oldest = newest
        var index = (head + count - 1) % Self.capacity
        for _ in 0..<count {
            guard arrivals[index] > newest - Self.recentWindow else { break }
            // The oldest packet in the span opens it: its bytes arrived before the span.
            if packets > 0 { bytes += sizes[(index + 1) % Self.capacity] }
            oldest = arrivals[index]
            packets += 1
            index = (index + Self.capacity - 1) % Self.capacity
        }
        let span = newest - oldest
        guard packets >= 3, span > .zero else { return nil }
        return Double(bytes * 8) / span.seconds
    }

    private mutating func dropOldest() {
        bytesInWindow -= sizes[head]
        head = (head + 1) % Self.capacity
        count -= 1
    }
}
