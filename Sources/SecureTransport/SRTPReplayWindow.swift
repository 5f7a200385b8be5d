/// One SRTP stream's packet index and replay window (RFC 3711 sections 3.3.1 and
/// 3.3.2), with libsrtp2's exact rules so that both transforms accept and refuse
/// the same packets.
///
/// The index is 48 bits: the rollover counter (ROC) above the 16-bit sequence
/// number. `highestIndex` is the highest index accepted so far; a packet's index
/// is guessed from its sequence number relative to it. The window remembers which
/// of the last `size` indices were seen, as a ring of bits addressed by
/// `index % size`, so advancing it costs one cleared bit per skipped index and
/// nothing is shifted or allocated.
struct SRTPReplayWindow {
    /// What `check(_:)` says of a packet.
    enum Verdict: Equatable {
        /// Newer than anything seen, or inside the window and not seen yet.
        case fresh
        /// Inside the window and already seen.
        case repeated
        /// Older than the window.
        case tooOld
    }

    /// The window length in packets (a multiple of 32).
    let size: Int
    /// The highest index accepted so far (0 before any packet).
    private(set) var highestIndex: UInt64 = 0
    /// Bit `index % size` is set when that index was seen.
    private var seen: [UInt64]

    /// Creates an empty window of at least `minimumSize` packets, rounded up to a
    /// whole number of 32-bit words as libsrtp2 rounds its bit vector.
    init(minimumSize: Int) {
        self.size = (max(minimumSize, 64) + 31) / 32 * 32
        self.seen = Array(repeating: 0, count: (size + 63) / 64)
    }

    /// The packet index a sequence number most likely belongs to, and its distance
    /// from `highestIndex` (positive when newer). libsrtp2 takes the sequence number
    /// as it is (ROC 0) until the highest index passes 2^15.
    func estimate(sequenceNumber: UInt16) -> (index: UInt64, delta: Int) {
        Self.estimate(sequenceNumber: sequenceNumber, after: highestIndex)
    }

    /// `estimate(sequenceNumber:)` against a given highest index (0 for a stream
    /// not seen yet).
    static func estimate(sequenceNumber: UInt16, after highestIndex: UInt64) -> (index: UInt64, delta: Int) {
        let median = 1 << 15
        let sequence = Int(sequenceNumber)
        guard highestIndex > UInt64(median) else {
            return (UInt64(sequence), sequence - Int(highestIndex & 0xFFFF))
        }
        let localROC = UInt32(truncatingIfNeeded: highestIndex >> 16)
        let localSequence = Int(highestIndex & 0xFFFF)
        var roc = localROC
        var delta = sequence - localSequence
        if localSequence < median {
            if sequence - localSequence > median {
                roc = localROC &- 1
                delta -= 1 << 16
            }
        } else if localSequence - median > sequence {
            roc = localROC &+ 1
            delta += 1 << 16
        }
        return (UInt64(roc) << 16 | UInt64(sequenceNumber), delta)
    }

    /// Whether a packet `delta` indices from the highest may be accepted.
    func check(_ delta: Int) -> Verdict {
        if delta > 0 { return .fresh }
        if delta <= -size { return .tooOld }
        return isSeen(highestIndex &+ UInt64(bitPattern: Int64(delta))) ? .repeated : .fresh
    }

    /// Records a packet `delta` indices from the highest as seen (after it was
    /// checked and authenticated), moving the window forward when it is newer.
    mutating func add(_ delta: Int) {
        if delta > 0 {
            let skipped = min(delta, size)
            if skipped == size {
                for word in seen.indices { seen[word] = 0 }
            } else {
                for step in 1...skipped { clear(highestIndex &+ UInt64(step)) }
            }
            highestIndex &+= UInt64(delta)
            mark(highestIndex)
        } else {
            mark(highestIndex &+ UInt64(bitPattern: Int64(delta)))
        }
    }

    private func isSeen(_ index: UInt64) -> Bool {
        let bit = Int(index % UInt64(size))
        return seen[bit >> 6] & (1 << UInt64(bit & 63)) != 0
    }

    private mutating func mark(_ index: UInt64) {
        let bit = Int(index % UInt64(size))
        seen[bit >> 6] |= 1 << UInt64(bit & 63)
    }

    private mutating func clear(_ index: UInt64) {
        let bit = Int(index % UInt64(size))
        seen[bit >> 6] &= ~(1 << UInt64(bit & 63))
    }
}
