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

    /// Creates conditions; the default is a clean 10 ms link.
    public init(loss: Double = 0, delay: Duration = .milliseconds(10), jitter: Duration = .zero, duplication: Double = 0) {
        self.loss = loss
        self.delay = delay
        self.jitter = jitter
        self.duplication = duplication
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
    /// How many datagrams were dropped by `loss`.
    public private(set) var dropped = 0
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
        let copies = random.nextUnit() < conditions.duplication ? 2 : 1
        for _ in 0..<copies {
            let jitter = conditions.jitter * random.nextUnit()
            sent += 1
            inFlight.append(
                Datagram(
                    bytes: bytes, source: rewriteSource[source] ?? source, destination: destination,
                    arrival: now + conditions.delay + jitter, order: sent))
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
