/// One stream's SRTCP index and replay window (RFC 3711 section 3.4), with
/// libsrtp2's rules: the window covers the 128 indices from `start`, and an
/// outbound stream numbers its packets by advancing `start` (so its first SRTCP
/// index is 1).
struct SRTCPReplayWindow {
    /// The window's length in packets, as libsrtp2's.
    static let size: UInt32 = 128
    /// The largest SRTCP index (31 bits).
    static let maximumIndex: UInt32 = 0x7FFF_FFFF

    /// The lowest index the window still covers.
    private(set) var start: UInt32 = 0
    /// Bit `i` (of `low` for 0..<64, `high` for 64..<128) is set when `start + i` was seen.
    private var low: UInt64 = 0
    private var high: UInt64 = 0

    /// Whether a received SRTCP index may be accepted: `.tooOld` below the window,
    /// `.repeated` when seen inside it.
    func check(_ index: UInt32) -> SRTPReplayWindow.Verdict {
        if index >= start &+ Self.size { return .fresh }
        if index < start { return .tooOld }
        return isSeen(index - start) ? .repeated : .fresh
    }

    /// Records a received index as seen (after it was checked and authenticated),
    /// moving the window so that it ends at `index` when it is newer.
    mutating func add(_ index: UInt32) {
        guard index >= start else { return }
        var offset = index - start
        if offset >= Self.size {
            let shift = offset - (Self.size - 1)
            dropLowest(shift)
            start &+= shift
            offset = Self.size - 1
        }
        if offset < 64 { low |= 1 << UInt64(offset) } else { high |= 1 << UInt64(offset - 64) }
    }

    /// The next index an outbound stream protects with, or nil once the 31-bit
    /// index space is used up (the key must be replaced).
    mutating func nextOutboundIndex() -> UInt32? {
        guard start < Self.maximumIndex else { return nil }
        start += 1
        return start
    }

    private func isSeen(_ offset: UInt32) -> Bool {
        offset < 64 ? low & (1 << UInt64(offset)) != 0 : high & (1 << UInt64(offset - 64)) != 0
    }

    /// Moves every bit `count` places toward index 0, dropping the lowest.
    private mutating func dropLowest(_ count: UInt32) {
        switch count {
        case 0:
            return
        case 1..<64:
            low = low >> UInt64(count) | high << UInt64(64 - count)
            high >>= UInt64(count)
        case 64..<128:
            low = high >> UInt64(count - 64)
            high = 0
        default:
            low = 0
            high = 0
        }
    }
}
