/// The codec-independent part of depacketizing: a ring of recent packets keyed
/// by extended sequence number, from which frames are cut when they are
/// complete (a frame start, contiguous sequence numbers with one timestamp, and
/// the marker bit), or dropped when they cannot be.
///
/// Reordering and loss: a missing sequence number is waited for, then
/// counted as lost and its frame dropped. How long depends on the mode.
/// Packets pushed with an arrival time and a loss wait are waited for by
/// time: a gap is given up once the first packet after it has been there
/// for the wait (the jitter buffer's budget: long enough for a NACK and its
/// retransmission), and ``nextDeadline`` says when to call
/// ``advance(to:)`` if nothing else arrives. Packets pushed without one are
/// waited for by count: until a packet more than `reorderTolerance` numbers
/// later arrives. A packet older than the oldest one still pending (late or
/// retransmitted too late) is ignored.
///
/// Decodability: after a gap, the next frame is delivered without a key
/// frame only when the payload format's picture ids show that no frame went
/// missing in it (the gap held only padding, say); otherwise delta frames
/// are dropped until a key frame arrives.
struct FrameAssembler {
    /// What one packet contributes.
    enum Content {
        /// Media data, with what the payload format header said. `pictureID`
        /// numbers frames consecutively modulo `pictureIDMask + 1` (mask 0: none).
        case media(isStart: Bool, isKeyFrame: Bool, pictureID: UInt16 = 0, pictureIDMask: UInt16 = 0)
        /// A padding-only packet: occupies a sequence number, belongs to no frame.
        case filler
        /// A payload that could not be parsed: treated as lost.
        case malformed
    }

    private struct Slot {
        var sequence: Int64 = .min
        var timestamp: UInt32 = 0
        var isStart = false
        var isEnd = false
        var isKeyFrame = false
        var isFiller = false
        var pictureID: UInt16 = 0
        var pictureIDMask: UInt16 = 0
        var arrival: ContinuousClock.Instant?
        var body: [UInt8] = []
    }

    let capacity: Int
    let reorderTolerance: Int64
    let dropsDeltaFramesUntilKeyFrame: Bool

    private var slots: [Slot]
    private let mask: Int64
    private var unwrapper = SequenceNumberUnwrapper()
    /// The oldest sequence number not yet delivered or dropped.
    private var head: Int64?
    /// The highest sequence number seen.
    private var highest: Int64 = .min
    /// For the run starting at `scanHead`, every packet before `scanCursor` was
    /// checked to be present, of the same timestamp and not the end.
    private var scanHead: Int64 = .min
    private var scanCursor: Int64 = .min
    private var needsKeyFrame: Bool
    /// The timestamp of a frame already reported dropped whose remaining
    /// packets are still arriving; they are discarded without a second report.
    private var abandonedTimestamp: UInt32?
    private var events: [RTPDepacketizerEvent] = []
    private var eventIndex = 0
    /// The picture id of the last frame delivered, and its mask.
    private var lastPictureID: (value: UInt16, mask: UInt16)?
    /// The latest time packets or ``advance(to:)`` brought (time mode only).
    private var now: ContinuousClock.Instant?
    /// How long a gap is waited for; nil: by count (`reorderTolerance`).
    private var lossWait: Duration?
    /// The gap assembly is waiting on, and since when (the arrival of the
    /// first packet after it).
    private var blocked: (sequence: Int64, since: ContinuousClock.Instant)?

    private(set) var latePackets = 0
    private(set) var duplicatePackets = 0
    /// Sequence numbers given up as lost (never arrived in time).
    private(set) var lostPackets = 0
    /// Gaps passed over without a key frame because picture ids showed no
    /// frame was missing from them.
    private(set) var gapsWithoutMissingFrames = 0

    init(capacity: Int, reorderTolerance: Int, dropsDeltaFramesUntilKeyFrame: Bool) {
        var size = 16
        while size < capacity, size < 1 << 16 { size <<= 1 }
        self.capacity = size
        self.mask = Int64(size - 1)
        self.reorderTolerance = Int64(min(max(reorderTolerance, 0), size / 2))
        self.dropsDeltaFramesUntilKeyFrame = dropsDeltaFramesUntilKeyFrame
        self.needsKeyFrame = dropsDeltaFramesUntilKeyFrame
        self.slots = Array(repeating: Slot(), count: size)
    }

    mutating func pollEvent() -> RTPDepacketizerEvent? {
        guard eventIndex < events.count else {
            if !events.isEmpty {
                events.removeAll(keepingCapacity: true)
                eventIndex = 0
            }
            return nil
        }
        defer { eventIndex += 1 }
        return events[eventIndex]
    }

    /// When ``advance(to:)`` has a gap to give up, if nothing fills it first.
    var nextDeadline: ContinuousClock.Instant? {
        guard let blocked, let lossWait else { return nil }
        return blocked.since + lossWait
    }

    /// Gives up the gaps that have waited their time by `now` and delivers
    /// what that frees.
    mutating func advance(to now: ContinuousClock.Instant) {
        guard lossWait != nil else { return }
        self.now = max(self.now ?? now, now)
        assemble()
    }

    /// Adds one packet. With `arrival` and `lossWait`, gaps are waited for by
    /// time (the wait in force is the latest one given); without, by count.
    mutating func insert(
        sequenceNumber: UInt16, timestamp: UInt32, marker: Bool, content: Content, body: UnsafeRawBufferPointer,
        arrival: ContinuousClock.Instant? = nil, lossWait: Duration? = nil
    ) {
        if let arrival, let lossWait {
            now = max(now ?? arrival, arrival)
            self.lossWait = lossWait
        }
        let sequence = unwrapper.unwrap(sequenceNumber)
        if head == nil {
            head = sequence
            highest = sequence - 1
        }
        guard let oldest = head, sequence >= oldest else {
            latePackets += 1
            return
        }
        if sequence - oldest >= Int64(capacity) {
            overflow(restartingAt: sequence)
        }
        let index = slotIndex(sequence)
        if slots[index].sequence == sequence {
            duplicatePackets += 1
            return
        }
        switch content {
        case .malformed:
            break
        case .filler:
            slots[index].sequence = sequence
            slots[index].timestamp = timestamp
            slots[index].isFiller = true
            slots[index].isStart = false
            slots[index].isEnd = false
            slots[index].isKeyFrame = false
            slots[index].pictureIDMask = 0
            slots[index].arrival = arrival
            slots[index].body.removeAll(keepingCapacity: true)
        case .media(let isStart, let isKeyFrame, let pictureID, let pictureIDMask):
            slots[index].sequence = sequence
            slots[index].timestamp = timestamp
            slots[index].isFiller = false
            slots[index].isStart = isStart
            slots[index].isEnd = marker
            slots[index].isKeyFrame = isKeyFrame
            slots[index].pictureID = pictureID & pictureIDMask
            slots[index].pictureIDMask = pictureIDMask
            slots[index].arrival = arrival
            slots[index].body.removeAll(keepingCapacity: true)
            slots[index].body.append(contentsOf: body)
        }
        highest = max(highest, sequence)
        assemble()
    }

    @inline(__always)
    private func slotIndex(_ sequence: Int64) -> Int { Int(sequence & mask) }

    @inline(__always)
    private func isPresent(_ sequence: Int64) -> Bool { slots[slotIndex(sequence)].sequence == sequence }

    private func nextPresent(after sequence: Int64) -> Int64 {
        var next = sequence + 1
        while next <= highest, !isPresent(next) { next += 1 }
        return next
    }

    /// Whether the missing `sequence` is given up: by time, once the first
    /// packet after it has waited `lossWait`; by count, once a packet more
    /// than `reorderTolerance` later is there. Notes the gap as the one
    /// assembly waits on when it is not.
    private mutating func gapExpired(at sequence: Int64, waitingOn previous: (sequence: Int64, since: ContinuousClock.Instant)?) -> Bool {
        guard let lossWait, let now else { return highest - sequence > reorderTolerance }
        let since: ContinuousClock.Instant
        if let previous, previous.sequence == sequence {
            since = previous.since
        } else {
            let next = nextPresent(after: sequence)
            since = next <= highest ? slots[slotIndex(next)].arrival ?? now : now
        }
        guard now - since < lossWait else { return true }
        blocked = (sequence, since)
        return false
    }

    /// The first present packet at or after `sequence` that is not padding
    /// (past `highest` when there is none yet).
    private func firstMedia(from sequence: Int64) -> Int64 {
        var probe = sequence
        while probe <= highest, !isPresent(probe) || slots[slotIndex(probe)].isFiller { probe += 1 }
        return probe
    }

    /// Whether the frame starting at `next`, after a gap, follows the last
    /// delivered frame by picture id: then the gap lost no frame.
    private func continuesPictureIDs(at next: Int64) -> Bool {
        guard next <= highest else { return false }
        let slot = slots[slotIndex(next)]
        guard slot.isStart, slot.pictureIDMask != 0, let last = lastPictureID, last.mask == slot.pictureIDMask else {
            return false
        }
        return (last.value &+ 1) & last.mask == slot.pictureID
    }

    private mutating func assemble() {
        let waitingOn = blocked
        blocked = nil
        outer: while let start = head, start <= highest {
            let startIndex = slotIndex(start)
            guard slots[startIndex].sequence == start else {
                // A gap where the next frame should begin.
                guard gapExpired(at: start, waitingOn: waitingOn) else { return }
                let next = nextPresent(after: start)
                lostPackets += Int(next - start)
                if !needsKeyFrame, continuesPictureIDs(at: firstMedia(from: next)) {
                    // Only padding (or nothing a decoder needs) was in the gap.
                    gapsWithoutMissingFrames += 1
                    head = next
                    continue
                }
                // When what follows is a frame start (or padding), whole frames
                // may have gone missing; a mid-frame packet instead gets its own
                // report (missing start) when its frame ends.
                if next > highest || slots[slotIndex(next)].isStart || slots[slotIndex(next)].isFiller {
                    report(.packetLoss, timestamp: nil, discarded: 0)
                }
                noteLoss()
                head = next
                continue
            }
            if slots[startIndex].isFiller {
                head = start + 1
                continue
            }
            let timestamp = slots[startIndex].timestamp
            if let abandoned = abandonedTimestamp {
                if timestamp == abandoned, !slots[startIndex].isStart {
                    head = start + 1
                    continue
                }
                abandonedTimestamp = nil
            }
            var sequence = scanHead == start ? scanCursor : start
            while sequence <= highest {
                let index = slotIndex(sequence)
                guard slots[index].sequence == sequence else {
                    scanHead = start
                    scanCursor = sequence
                    guard gapExpired(at: sequence, waitingOn: waitingOn) else { return }
                    report(.packetLoss, timestamp: timestamp, discarded: Int(sequence - start))
                    noteLoss()
                    abandonedTimestamp = timestamp
                    let next = nextPresent(after: sequence)
                    lostPackets += Int(next - sequence)
                    head = next
                    continue outer
                }
                if slots[index].isFiller || slots[index].timestamp != timestamp {
                    report(.missingEnd, timestamp: timestamp, discarded: Int(sequence - start))
                    noteLoss()
                    head = sequence
                    continue outer
                }
                if slots[index].isEnd {
                    complete(from: start, through: sequence)
                    head = sequence + 1
                    continue outer
                }
                sequence += 1
            }
            scanHead = start
            scanCursor = sequence
            return
        }
    }

    private mutating func complete(from start: Int64, through end: Int64) {
        let first = slotIndex(start)
        let timestamp = slots[first].timestamp
        let count = Int(end - start + 1)
        guard slots[first].isStart else {
            report(.missingStart, timestamp: timestamp, discarded: count)
            noteLoss()
            return
        }
        let isKeyFrame = slots[first].isKeyFrame
        if needsKeyFrame, !isKeyFrame {
            report(.waitingForKeyFrame, timestamp: timestamp, discarded: count)
            return
        }
        var total = 0
        var firstArrival: ContinuousClock.Instant?
        for sequence in start...end {
            let slot = slotIndex(sequence)
            total += slots[slot].body.count
            if let arrival = slots[slot].arrival { firstArrival = min(firstArrival ?? arrival, arrival) }
        }
        var data: [UInt8] = []
        data.reserveCapacity(total)
        for sequence in start...end {
            data.append(contentsOf: slots[slotIndex(sequence)].body)
        }
        events.append(.frame(RTPFrame(
            data: data, timestamp: timestamp, isKeyFrame: isKeyFrame,
            firstSequenceNumber: UInt16(truncatingIfNeeded: start), packetCount: count, firstPacketArrival: firstArrival)))
        if isKeyFrame {
            needsKeyFrame = false
        }
        lastPictureID = slots[first].pictureIDMask == 0 ? nil : (slots[first].pictureID, slots[first].pictureIDMask)
    }

    /// Gives up everything pending when `sequence` is too far ahead to fit the ring.
    private mutating func overflow(restartingAt sequence: Int64) {
        guard let start = head else { return }
        var discarded = 0
        var timestamp: UInt32?
        var contiguous = true
        if highest >= start {
            for pending in start...highest {
                let index = slotIndex(pending)
                if slots[index].sequence == pending {
                    discarded += 1
                    if timestamp == nil, !slots[index].isFiller { timestamp = slots[index].timestamp }
                } else {
                    contiguous = false
                }
            }
        }
        // A frame that simply has more packets than the ring holds, versus a jump or loss.
        let reason: RTPDroppedFrame.Reason = contiguous && discarded > 0 ? .bufferOverflow : .packetLoss
        report(reason, timestamp: timestamp, discarded: discarded)
        noteLoss()
        abandonedTimestamp = timestamp
        head = sequence
        highest = sequence - 1
    }

    private mutating func noteLoss() {
        if dropsDeltaFramesUntilKeyFrame {
            needsKeyFrame = true
        }
    }

    private mutating func report(_ reason: RTPDroppedFrame.Reason, timestamp: UInt32?, discarded: Int) {
        events.append(.frameDropped(RTPDroppedFrame(reason: reason, timestamp: timestamp, discardedPackets: discarded)))
    }
}
