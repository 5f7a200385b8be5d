/// The receiver's audio jitter buffer: holds Opus (or any audio) packets
/// until their playout time and says, each time the player needs more
/// audio, what to play: the next packet, a rebuild of a lost one from the
/// following packet's FEC, or concealment, and whether to stretch it.
///
/// Sans-IO: packets are inserted with their arrival time, and the player
/// asks ``nextDecision(at:)`` then reports how much media time the result
/// covered with ``advance(by:)``.
///
/// The playout delay is measured, not counted in packets: a packet is played
/// `delay` after the moment a packet with no queueing on the path would have
/// arrived (``AudioDelayEstimator``). The buffer aims that delay at a high
/// quantile of the measured jitter (at least ``Configuration/minimumDelay``)
/// and asks for the audio to be shortened or lengthened, a pitch period at a
/// time, when the delay drifts off the target. Memory is fixed: at most
/// ``Configuration/capacity`` packets are held, each in a reused buffer.
public struct AudioJitterBuffer: Sendable {
    /// Limits and aims.
    public struct Configuration: Sendable, Hashable {
        /// The RTP clock rate (48,000 for Opus).
        public var clockRate: Int
        /// Packets held at most (64: 1.28 s of 20 ms packets).
        public var capacity: Int
        /// The smallest target delay, which covers the player's own timing (20 ms).
        public var minimumDelay: Duration
        /// The largest target delay (500 ms).
        public var maximumDelay: Duration
        /// The share of packets that should arrive in time (0.97).
        public var quantile: Double
        /// How long the buffer conceals with nothing to play before it stops
        /// and waits for packets (the sender paused, say): 200 ms.
        public var maximumConcealment: Duration

        /// Creates a configuration; the defaults suit Opus in 20 ms packets.
        public init(
            clockRate: Int = 48_000, capacity: Int = 64, minimumDelay: Duration = .milliseconds(20),
            maximumDelay: Duration = .milliseconds(500), quantile: Double = 0.97, maximumConcealment: Duration = .milliseconds(200)
        ) {
            self.clockRate = clockRate
            self.capacity = capacity
            self.minimumDelay = minimumDelay
            self.maximumDelay = maximumDelay
            self.quantile = quantile
            self.maximumConcealment = maximumConcealment
        }
    }

    /// How far above the target the delay may go before audio is shortened.
    public static let tolerance: Duration = .milliseconds(10)
    /// The most one decision stretches by.
    public static let largestStretch: Duration = .milliseconds(10)
    /// Beyond this much above the target, whole packets are skipped.
    public static let skipThreshold: Duration = .milliseconds(120)

    private struct Slot {
        var occupied = false
        var timestamp: Int64 = 0
        var arrival: ContinuousClock.Instant?
        var payload: [UInt8] = []
    }

    /// The limits and aims it was created with.
    public let configuration: Configuration
    private var slots: [Slot]
    private var held = 0
    private var unwrapper = TimestampUnwrapper()
    private var estimator: AudioDelayEstimator
    /// The first arrival: transits are measured from it.
    private var reference: (arrival: ContinuousClock.Instant, timestamp: Int64)?
    /// The unwrapped timestamp of the stream's first packet: media time 0.
    private var origin: Int64?
    /// Delay added to the jitter target, for lip sync with a later-arriving video track.
    public var extraDelay: Duration = .zero
    /// Delay added to the jitter target so that the packet after a lost one
    /// has usually come when the lost one is due, and can rebuild it from
    /// its FEC: the player sets it to one packet while packets carry FEC.
    public var recoveryDelay: Duration = .zero
    /// The unwrapped timestamp of the next sample to play, once playing.
    private var playout: Int64?
    /// Media time of the last played or recovered packet, in clock units.
    private var packetDuration: Int64
    /// Media time concealed since the last real audio, in clock units.
    private var concealedRun: Int64 = 0

    /// Packets that came after their playout time (dropped).
    public private(set) var latePackets = 0
    /// Packets that came twice (dropped).
    public private(set) var duplicatePackets = 0
    /// Packets dropped because the buffer was full, or skipped to cut a delay far above the target.
    public private(set) var discardedPackets = 0

    /// Creates an empty buffer.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        slots = Array(repeating: Slot(), count: max(configuration.capacity, 2))
        estimator = AudioDelayEstimator(quantile: configuration.quantile)
        packetDuration = Int64(configuration.clockRate / 50)
    }

    /// Packets held now.
    public var count: Int { held }

    /// The media time of the last packet played (20 ms before the first).
    public var packetLength: Duration { .nanoseconds(mediaNanoseconds(packetDuration)) }

    /// Whether audio is being played out (false before the first packet's
    /// wait is over, and again after a long silence).
    public var isPlaying: Bool { playout != nil }

    /// The delay the jitter calls for: its quantile, within the configured bounds.
    public var jitterDelay: Duration {
        min(max(estimator.targetDelay, configuration.minimumDelay), configuration.maximumDelay)
    }

    /// The delay the buffer aims at: ``jitterDelay`` plus ``recoveryDelay`` plus ``extraDelay``.
    public var targetDelay: Duration { jitterDelay + max(recoveryDelay, .zero) + max(extraDelay, .zero) }

    /// Adds a packet that arrived at `arrival`.
    ///
    /// - Returns: Whether it was kept (not late, not a duplicate, not empty).
    @discardableResult
    public mutating func insert(
        payload: some Collection<UInt8>, timestamp rtpTimestamp: UInt32, arrival: ContinuousClock.Instant
    ) -> Bool {
        guard !payload.isEmpty else { return false }
        var timestamp = unwrapper.unwrap(rtpTimestamp)
        if let playout, playout - timestamp > Int64(configuration.clockRate) * 2 {
            // Two seconds behind what plays: the sender restarted its timestamps.
            restart()
            timestamp = unwrapper.unwrap(rtpTimestamp)
        }
        if reference == nil { reference = (arrival, timestamp) }
        if origin == nil { origin = timestamp }
        estimator.note(transit: transit(of: timestamp, arrivingAt: arrival))
        if let playout, timestamp < playout {
            latePackets += 1
            return false
        }
        // One pass finds a copy of this packet, a free slot and the oldest packet.
        var free: Int?
        var oldest: Int?
        for index in slots.indices {
            guard slots[index].occupied else {
                if free == nil { free = index }
                continue
            }
            if slots[index].timestamp == timestamp {
                duplicatePackets += 1
                return false
            }
            if oldest.map({ slots[$0].timestamp > slots[index].timestamp }) ?? true { oldest = index }
        }
        if free == nil, let oldest {
            discardedPackets += 1
            guard slots[oldest].timestamp < timestamp else { return false }
            release(oldest)
            free = oldest
        }
        let index = free!
        slots[index].occupied = true
        slots[index].timestamp = timestamp
        slots[index].arrival = arrival
        slots[index].payload.removeAll(keepingCapacity: true)
        slots[index].payload.append(contentsOf: payload)
        held += 1
        return true
    }

    /// When playout should start, while it waits for its first packet's delay
    /// to pass; `nil` when playing or when nothing is held.
    public var playoutStart: ContinuousClock.Instant? {
        guard playout == nil, let oldest = oldestSlot(), let reference, let minimum = estimator.minimumTransit else { return nil }
        let unqueued = reference.arrival + .nanoseconds(minimum + mediaNanoseconds(slots[oldest].timestamp - reference.timestamp))
        return unqueued + targetDelay
    }

    /// What to play at `now`, or `nil` while there is nothing to play (before
    /// the first packet's wait is over, or after a long silence). After acting
    /// on a decision, call ``advance(by:)`` with the media time produced.
    public mutating func nextDecision(at now: ContinuousClock.Instant) -> AudioPlayoutDecision? {
        if playout == nil {
            guard let start = playoutStart, now >= start, let oldest = oldestSlot() else { return nil }
            playout = slots[oldest].timestamp
            concealedRun = 0
        }
        let target = targetDelay
        skipPacketsWhileFarBehind(at: now, target: target)
        guard let position = playout else { return nil }
        let adjustment = adjustment(for: delay(at: now, playing: position) - target)
        guard let next = oldestSlot() else {
            return AudioPlayoutDecision(action: .conceal, adjustment: .none, timestamp: position, mediaTime: mediaTime(of: position), arrival: nil, targetDelay: target)
        }
        let nextTimestamp = slots[next].timestamp
        if nextTimestamp <= position + packetDuration / 4 {
            let slot = slots[next]
            release(next)
            return AudioPlayoutDecision(
                action: .play(slot.payload), adjustment: adjustment, timestamp: position, mediaTime: mediaTime(of: position), arrival: slot.arrival, targetDelay: target)
        }
        if nextTimestamp - position <= packetDuration + packetDuration / 4 {
            // Exactly one packet is missing; the next one may carry it as FEC.
            return AudioPlayoutDecision(
                action: .recover(usingFECFrom: slots[next].payload), adjustment: adjustment, timestamp: position, mediaTime: mediaTime(of: position),
                arrival: slots[next].arrival, targetDelay: target)
        }
        return AudioPlayoutDecision(action: .conceal, adjustment: .none, timestamp: position, mediaTime: mediaTime(of: position), arrival: nil, targetDelay: target)
    }

    /// The last decision produced `mediaTime` clock units of audio (before
    /// stretching); `concealed` says whether it was made up. After
    /// ``Configuration/maximumConcealment`` of concealment in a row, playout
    /// stops, and starts again from the next packet held (the sender paused,
    /// or its timestamps jumped ahead).
    public mutating func advance(by mediaTime: Int64, concealed: Bool) {
        guard let position = playout, mediaTime > 0 else { return }
        playout = position + mediaTime
        if concealed {
            concealedRun += mediaTime
            if concealedRun >= mediaUnits(configuration.maximumConcealment) {
                playout = nil
            }
        } else {
            concealedRun = 0
            packetDuration = mediaTime
        }
    }

    /// How long the audio at `position` has waited beyond an unqueued packet's arrival.
    private func delay(at now: ContinuousClock.Instant, playing position: Int64) -> Duration {
        guard let reference, let minimum = estimator.minimumTransit else { return .zero }
        let unqueued = reference.arrival + .nanoseconds(minimum + mediaNanoseconds(position - reference.timestamp))
        return now - unqueued
    }

    /// Above the band of ``tolerance`` over the target: shorten by the excess
    /// (at most ``largestStretch``). Below the target: lengthen by up to a
    /// whole ``largestStretch``, however small the shortfall, because audio
    /// stretches by whole pitch periods (2.5 ms and more): a limit of the
    /// shortfall alone would often fit none, and the delay would stay just
    /// under its target, where the slowest packets come a moment too late.
    /// The overshoot lands inside the tolerance band.
    private func adjustment(for error: Duration) -> AudioPlayoutDecision.Adjustment {
        if error > Self.tolerance { return .shorten(maximum: min(error, Self.largestStretch)) }
        if error < .zero { return .lengthen(maximum: Self.largestStretch) }
        return .none
    }

    /// Far above the target (a burst after a stall), whole packets go: the
    /// audio jumps, but the delay does not stay high for seconds.
    private mutating func skipPacketsWhileFarBehind(at now: ContinuousClock.Instant, target: Duration) {
        while let position = playout, delay(at: now, playing: position) - target > Self.skipThreshold, held > 1,
              let oldest = oldestSlot()
        {
            let skipped = slots[oldest].timestamp
            release(oldest)
            discardedPackets += 1
            playout = max(position, skipped + packetDuration)
        }
    }

    private mutating func restart() {
        for index in slots.indices where slots[index].occupied { release(index) }
        playout = nil
        reference = nil
        origin = nil
        unwrapper = TimestampUnwrapper()
        estimator.resetTransits()
    }

    private func oldestSlot() -> Int? {
        var oldest: Int?
        for index in slots.indices where slots[index].occupied {
            if let current = oldest, slots[current].timestamp <= slots[index].timestamp { continue }
            oldest = index
        }
        return oldest
    }

    private mutating func release(_ index: Int) {
        slots[index].occupied = false
        held -= 1
    }

    private func transit(of timestamp: Int64, arrivingAt arrival: ContinuousClock.Instant) -> Int64 {
        guard let reference else { return 0 }
        return (arrival - reference.arrival).nanoseconds - mediaNanoseconds(timestamp - reference.timestamp)
    }

    private func mediaTime(of position: Int64) -> Duration {
        .nanoseconds(mediaNanoseconds(position - (origin ?? position)))
    }

    private func mediaNanoseconds(_ units: Int64) -> Int64 {
        units * 1_000_000_000 / Int64(configuration.clockRate)
    }

    private func mediaUnits(_ duration: Duration) -> Int64 {
        duration.nanoseconds * Int64(configuration.clockRate) / 1_000_000_000
    }
}
