/// What a simulated link does to datagrams.
public struct SimulatedLinkConditions: Sendable, Hashable {
    /// The probability (0...1) that a datagram is lost.
    public var loss: Double
    /// The base one-way delay.
    public var delay: Duration
    /// Extra random delay, uniform in `0...jitter` (which also reorders).
    public var jitter: Duration
    /// The probability (0...1) that a datagram arrives twice.
    public var duplication: Double
    /// A bottleneck, in bits per second, each way: datagrams wait in a
    /// first-in, first-out queue to be sent at this rate (nil: no limit).
    public var bandwidth: Double?
    /// The most a bottleneck's queue holds, as time at its rate; a datagram
    /// that would wait longer is dropped (drop-tail).
    public var queueLimit: Duration

    /// Creates conditions; the default is a clean 10 ms link without a bottleneck.
    public init(
        loss: Double = 0, delay: Duration = .milliseconds(10), jitter: Duration = .zero, duplication: Double = 0,
        bandwidth: Double? = nil, queueLimit: Duration = .milliseconds(300)
    ) {
        self.loss = loss
        self.delay = delay
        self.jitter = jitter
        self.duplication = duplication
        self.bandwidth = bandwidth
        self.queueLimit = queueLimit
    }
}

/// A network in memory on virtual time: datagrams sent now arrive later,
/// perhaps lost, jittered, reordered or duplicated, all from a seeded random
/// generator, so that a run is the same every time.
///
/// `rewriteSource` maps a sender's address to the address the receiver sees,
/// as a NAT would.
public struct SimulatedNetwork<Address: Hashable & Sendable>: Sendable {
    /// One datagram in flight or delivered.
    public struct Datagram: Sendable {
        /// The bytes.
        public var bytes: [UInt8]
        /// The source as the receiver sees it.
        public var source: Address
        /// The destination.
        public var destination: Address
        /// When it arrives.
        public var arrival: ContinuousClock.Instant
        fileprivate var order: UInt64
    }

    /// The link conditions applied to every datagram.
    public var conditions: SimulatedLinkConditions
    /// Source addresses rewritten in flight (NAT-like).
    public var rewriteSource: [Address: Address] = [:]
    /// Datagrams for which this says `true` are dropped, whatever `conditions` say
    /// (to lose one kind of traffic only, such as STUN).
    public var discards: (@Sendable (_ bytes: [UInt8]) -> Bool)?
    private var random: SplitMix64
    private var inFlight: [Datagram] = []
    private var sent: UInt64 = 0
    /// How many datagrams were dropped by `loss` (or a full bottleneck queue).
    public private(set) var dropped = 0
    /// How many datagrams a full bottleneck queue dropped.
    public private(set) var droppedByQueue = 0
    /// The bytes delivered to each destination so far, with 28 bytes of IPv4
    /// and UDP headers per datagram: what crossed the link.
    public private(set) var wireBytesDelivered: [Address: Int] = [:]
    /// When each destination's bottleneck finishes sending what it holds.
    private var bottleneckFree: [Address: ContinuousClock.Instant] = [:]
    /// Whether the dropped datagrams are kept in ``droppedDatagrams`` (for a
    /// test that counts what was lost of one kind).
    public var keepsDropped = false
    /// The datagrams dropped so far, when ``keepsDropped`` is set.
    public private(set) var droppedDatagrams: [[UInt8]] = []

    /// Creates a network with `conditions` and a random seed.
    public init(conditions: SimulatedLinkConditions = SimulatedLinkConditions(), seed: UInt64 = 1) {
        self.conditions = conditions
        self.random = SplitMix64(seed: seed)
    }

    /// Sends a datagram at `now`.
    public mutating func send(_ bytes: [UInt8], from source: Address, to destination: Address, at now: ContinuousClock.Instant) {
        if let discards, discards(bytes) {
            dropped += 1
            return
        }
        if random.nextUnit() < conditions.loss {
            dropped += 1
            if keepsDropped { droppedDatagrams.append(bytes) }
            return
        }
        var departure = now
        if let bandwidth = conditions.bandwidth, bandwidth > 0 {
            // IPv4 and UDP headers count on the wire too.
            let start = max(now, bottleneckFree[destination] ?? now)
            guard start - now <= conditions.queueLimit else {
                dropped += 1
                droppedByQueue += 1
                if keepsDropped { droppedDatagrams.append(bytes) }
                return
            }
            departure = start + .seconds(Double((bytes.count + 28) * 8) / bandwidth)
            bottleneckFree[destination] = departure
        }
        let copies = random.nextUnit() < conditions.duplication ? 2 : 1
        for _ in 0..<copies {
            let jitter = conditions.jitter * random.nextUnit()
            sent += 1
            inFlight.append(
                Datagram(
                    bytes: bytes, source: rewriteSource[source] ?? source, destination: destination,
                    arrival: departure + conditions.delay + jitter, order: sent))
        }
    }

    /// When the next datagram arrives, if any is in flight.
    public var nextArrival: ContinuousClock.Instant? {
        inFlight.map(\.arrival).min()
    }

    /// Removes and returns every datagram that has arrived by `now`, in arrival order.
    public mutating func deliver(upTo now: ContinuousClock.Instant) -> [Datagram] {
        var arrived = inFlight.filter { $0.arrival <= now }
        inFlight.removeAll { $0.arrival <= now }
        for datagram in arrived { wireBytesDelivered[datagram.destination, default: 0] += datagram.bytes.count + 28 }
        arrived.sort { ($0.arrival, $0.order) < ($1.arrival, $1.order) }
        return arrived
    }
}

/// A small, fast, seedable generator (SplitMix64), so simulations repeat exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform value in `0..<1`.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}
