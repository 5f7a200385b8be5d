/// The receiver's side of transport-wide congestion control: notes when each
/// transport-wide sequence number arrived, and turns what it noted into
/// ``RTCPTransportFeedback`` packets for the sender (which should be sent
/// about every 50-100 ms).
///
/// Sans-IO and fixed in memory: arrivals go into a ring of
/// ``capacity`` slots indexed by sequence number, so noting a packet never
/// allocates. Each feedback covers the packets from the first one not yet
/// reported up to the newest, with the ones in between that never came
/// reported lost. A packet older than what was already reported is too late
/// to report (the sender has counted it lost) and is only counted.
public struct TransportFeedbackRecorder: Sendable {
    /// How many sequence numbers the ring holds: a feedback reports at most
    /// this many packets back from the newest.
    public static let capacity = 1 << 13
    /// The most packets one feedback reports, which keeps it within a
    /// datagram (at most two bytes of delta and two bits of status each).
    public static let maximumPacketsPerFeedback = 400

    private static let empty = Int64.min
    /// Arrival in nanoseconds since `origin`, by unwrapped sequence number modulo capacity.
    private var arrivals: [Int64]
    private var unwrapper = SequenceNumberUnwrapper()
    private var origin: ContinuousClock.Instant?
    /// The first sequence number not yet reported, and the newest noted.
    private var nextToReport: Int64?
    private var newest: Int64 = 0
    /// The feedback count field of the next packet.
    private var feedbackCount: UInt8 = 0

    /// Packets that came after their sequence number had been reported lost.
    public private(set) var latePackets = 0

    /// Creates an empty recorder.
    public init() {
        arrivals = [Int64](repeating: Self.empty, count: Self.capacity)
    }

    /// Notes that the packet with transport-wide sequence number
    /// `sequenceNumber` arrived at `arrival`.
    public mutating func record(sequenceNumber: UInt16, arrival: ContinuousClock.Instant) {
        let sequence = unwrapper.unwrap(sequenceNumber)
        if origin == nil { origin = arrival }
        guard let first = nextToReport else {
            nextToReport = sequence
            newest = sequence
            store(sequence, arrival)
            return
        }
        guard sequence >= first else {
            latePackets += 1
            return
        }
        if sequence > newest {
            // Slots between the old newest and this one may hold arrivals from a
            // lap of the ring ago: clear them, at most one whole ring.
            var stale = max(newest + 1, sequence - Int64(Self.capacity) + 1)
            while stale < sequence {
                arrivals[slot(stale)] = Self.empty
                stale += 1
            }
            newest = sequence
            // Keep what is unreported within the ring.
            if newest - first >= Int64(Self.capacity) { nextToReport = newest - Int64(Self.capacity) + 1 }
        }
        store(sequence, arrival)
    }

    /// Whether packets wait to be reported.
    public var hasUnreportedPackets: Bool {
        guard let nextToReport else { return false }
        return nextToReport <= newest
    }

    /// The feedback for the packets not yet reported (at most
    /// ``maximumPacketsPerFeedback``; call again for the rest), or nil when
    /// there are none. It starts at the first unreported packet that arrived.
    public mutating func makeFeedback(senderSSRC: UInt32, mediaSSRC: UInt32) -> RTCPTransportFeedback? {
        guard var sequence = nextToReport, sequence <= newest else { return nil }
        // Start at a packet that arrived: the reference time comes from it.
        while sequence <= newest, arrivals[slot(sequence)] == Self.empty { sequence += 1 }
        guard sequence <= newest else {
            nextToReport = newest + 1
            return nil
        }
        let base = sequence
        let firstArrival = arrivals[slot(base)]
        let referenceNanoseconds = RTCPTransportFeedback.referenceTick.nanoseconds
        let reference = firstArrival / referenceNanoseconds
        var previousTicks = reference * referenceNanoseconds / Self.tickNanoseconds
        var results: [RTCPTransportFeedback.PacketResult] = []
        results.reserveCapacity(min(Int(newest - base + 1), Self.maximumPacketsPerFeedback))
        while sequence <= newest, results.count < Self.maximumPacketsPerFeedback {
            let arrival = arrivals[slot(sequence)]
            if arrival == Self.empty {
                results.append(.notReceived)
            } else {
                let ticks = (arrival + Self.tickNanoseconds / 2) / Self.tickNanoseconds
                let delta = ticks - previousTicks
                // A delta beyond 16 bits (over 8 s) ends this feedback; the next starts from this packet.
                guard let fitting = Int16(exactly: delta) else { break }
                results.append(.init(receiveDelta: fitting))
                previousTicks = ticks
            }
            sequence += 1
        }
        // Trailing losses wait for the next feedback: they may still come.
        while results.last == .notReceived { results.removeLast(); sequence -= 1 }
        nextToReport = sequence
        defer { feedbackCount &+= 1 }
        return RTCPTransportFeedback(
            senderSSRC: senderSSRC, mediaSSRC: mediaSSRC, baseSequenceNumber: UInt16(truncatingIfNeeded: base),
            referenceTime: Int32(truncatingIfNeeded: reference), feedbackPacketCount: feedbackCount, packets: results)
    }

    private static let tickNanoseconds = RTCPTransportFeedback.deltaTick.nanoseconds

    private func slot(_ sequence: Int64) -> Int { Int(sequence & Int64(Self.capacity - 1)) }

    private mutating func store(_ sequence: Int64, _ arrival: ContinuousClock.Instant) {
        guard let origin else { return }
        arrivals[slot(sequence)] = (arrival - origin).nanoseconds
    }
}
