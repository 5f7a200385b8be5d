/// The codec-independent part of depacketizing: a ring of recent packets keyed
/// by extended sequence number, from which frames are cut when they are
/// complete (a frame start, contiguous sequence numbers with one timestamp, and
/// the marker bit), or dropped when they cannot be.
///
/// Reordering: a missing sequence number is waited for until a packet more
/// than `reorderTolerance` numbers later arrives; then it counts as lost and
/// its frame is dropped. A packet older than the oldest one still pending
/// (late or retransmitted too late) is ignored.
struct FrameAssembler {
    /// What one packet contributes.
    enum Content {
        /// Media data, with what the payload format header said.
        case media(isStart: Bool, isKeyFrame: Bool)
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

    private(set) var latePackets = 0
    private(set) var duplicatePackets = 0

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

    mutating func insert(
        sequenceNumber: UInt16, timestamp: UInt32, marker: Bool, content: Content, body: UnsafeRawBufferPointer
    ) {
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
            slots[index].body.removeAll(keepingCapacity: true)
        case .media(let isStart, let isKeyFrame):
            slots[index].sequence = sequence
            slots[index].timestamp = timestamp
            slots[index].isFiller = false
            slots[index].isStart = isStart
            slots[index].isEnd = marker
            slots[index].isKeyFrame = isKeyFrame
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

    private mutating func assemble() {
        outer: while let start = head, start <= highest {
            let startIndex = slotIndex(start)
            guard slots[startIndex].sequence == start else {
                // A gap where the next frame should begin.
                guard highest - start > reorderTolerance else { return }
                let next = nextPresent(after: start)
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
                    guard highest - sequence > reorderTolerance else { return }
                    report(.packetLoss, timestamp: timestamp, discarded: Int(sequence - start))
                    noteLoss()
                    abandonedTimestamp = timestamp
                    head = nextPresent(after: sequence)
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
        for sequence in start...end {
            total += slots[slotIndex(sequence)].body.count
        }
        var data: [UInt8] = []
        data.reserveCapacity(total)
        for sequence in start...end {
            data.append(contentsOf: slots[slotIndex(sequence)].body)
        }
        events.append(.frame(RTPFrame(
            data: data, timestamp: timestamp, isKeyFrame: isKeyFrame,
            firstSequenceNumber: UInt16(truncatingIfNeeded: start), packetCount: count)))
        if isKeyFrame {
            needsKeyFrame = false
        }
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
