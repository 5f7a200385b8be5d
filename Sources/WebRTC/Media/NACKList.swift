/// The packets a receiving stream is missing and asks for again with
/// generic NACKs (RFC 4585), knowing the round-trip time: a missing packet
/// is asked for at once, then again at most once per round trip (and a
/// quarter), a bounded
/// number of times. A list that grows too long, or a gap too wide, is given
/// up for a key-frame request. A value kept inside its stream; nothing here
/// allocates once the table has grown to its bound.
struct NACKList {
    struct Entry {
        var sequence: Int64
        var missingSince: ContinuousClock.Instant
        var lastAsked: ContinuousClock.Instant?
        var times: Int
    }

    /// The most packets waited for at once.
    static var capacity: Int { 128 }
    /// The widest gap asked for; a wider one is left to a key frame.
    static var maxGap: Int64 { 64 }
    /// How many times one packet is asked for before it is given up.
    static var maxTimes: Int { 10 }
    /// Never asked again sooner than this, however short the round trip.
    static var minInterval: Duration { .milliseconds(10) }
    /// A packet missing for longer than this is given up: its frame is past
    /// repair (the depacketizer has moved on) and only a key frame helps.
    static var maxAge: Duration { .milliseconds(500) }

    /// How long after asking a packet is asked for again: a round trip and a
    /// quarter, so that a retransmission that comes on time (one round trip
    /// after the NACK) is not asked for twice.
    static func askAgainInterval(roundTrip: Duration) -> Duration {
        max(roundTrip + roundTrip / 4, minInterval)
    }

    private(set) var entries: [Entry] = []
    private var highest: Int64?

    /// Packets that arrived after they were asked for.
    private(set) var recovered = 0
    /// Packets given up after being asked for `maxTimes` times.
    private(set) var givenUp = 0

    init() {
        entries.reserveCapacity(Self.capacity)
    }

    /// What one arriving packet did to the list.
    enum Arrival: Equatable {
        /// Nothing to do, or new packets went missing (see ``due(at:roundTrip:into:)``).
        case noted
        /// The gap is too wide, or the list too long: ask for a key frame instead.
        case needsKeyFrame
    }

    /// Notes an arriving packet (unwrapped sequence number) at `now`.
    mutating func arrived(_ sequence: Int64, at now: ContinuousClock.Instant) -> Arrival {
        guard let last = highest else {
            highest = sequence
            return .noted
        }
        if sequence <= last {
            // Late: a retransmission or a reordered packet fills its place.
            if let index = entries.firstIndex(where: { $0.sequence == sequence }) {
                if entries[index].times > 0 { recovered += 1 }
                entries.remove(at: index)
            }
            return .noted
        }
        highest = sequence
        let gap = sequence - last - 1
        guard gap > 0 else { return .noted }
        guard gap <= Self.maxGap, entries.count + Int(gap) <= Self.capacity else {
            entries.removeAll(keepingCapacity: true)
            return .needsKeyFrame
        }
        for missing in (last + 1)..<sequence {
            entries.append(Entry(sequence: missing, missingSince: now, lastAsked: nil, times: 0))
        }
        return .noted
    }

    /// The packets to ask for now: missing for at least `reorderingDelay`
    /// (a packet that is only overtaken in flight arrives within it, and is
    /// not asked for) and never asked, or asked a round trip and a quarter ago. Those asked for `maxTimes` already, or missing for longer
    /// than `maxAge`, are given up. Appends to
    /// `output` (16-bit sequence numbers, as a NACK carries them), and sets
    /// `asksAgain` when one of them was asked for before.
    mutating func due(
        at now: ContinuousClock.Instant, roundTrip: Duration, reorderingDelay: Duration = .zero, into output: inout [UInt16],
        asksAgain: inout Bool
    ) {
        let interval = Self.askAgainInterval(roundTrip: roundTrip)
        var index = 0
        while index < entries.count {
            if entries[index].times >= Self.maxTimes || now - entries[index].missingSince >= Self.maxAge {
                givenUp += 1
                entries.remove(at: index)
                continue
            }
            if entries[index].lastAsked.map({ now - $0 >= interval }) ?? (now - entries[index].missingSince >= reorderingDelay) {
                if entries[index].times > 0 { asksAgain = true }
                entries[index].lastAsked = now
                entries[index].times += 1
                output.append(UInt16(truncatingIfNeeded: entries[index].sequence))
            }
            index += 1
        }
    }

    /// When ``due(at:roundTrip:into:)`` next has a packet to ask for or give up.
    func nextDue(roundTrip: Duration, reorderingDelay: Duration = .zero) -> ContinuousClock.Instant? {
        let interval = Self.askAgainInterval(roundTrip: roundTrip)
        var earliest: ContinuousClock.Instant?
        for entry in entries {
            let ask = entry.lastAsked.map { $0 + interval } ?? entry.missingSince + reorderingDelay
            let due = min(ask, entry.missingSince + Self.maxAge)
            earliest = min(earliest ?? due, due)
        }
        return earliest
    }

    /// ``due(at:roundTrip:reorderingDelay:into:asksAgain:)`` for a caller that does not ask whether a request repeats.
    mutating func due(
        at now: ContinuousClock.Instant, roundTrip: Duration, reorderingDelay: Duration = .zero, into output: inout [UInt16]
    ) {
        var asksAgain = false
        due(at: now, roundTrip: roundTrip, reorderingDelay: reorderingDelay, into: &output, asksAgain: &asksAgain)
    }

    /// Forgets every missing packet (a key frame makes them useless).
    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
    }
}
