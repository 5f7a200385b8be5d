/// Takes Opus packets out of RTP payloads (RFC 7587): each non-empty payload
/// is one frame, delivered at once and marked as a key frame (every Opus
/// packet decodes on its own).
///
/// Packets are handed on in arrival order, reordered ones too: the audio
/// jitter buffer after it puts them back in order, and a packet overtaken
/// in flight is still in time to play. Duplicates (a window of the last
/// ``reorderWindow`` sequence numbers tells them) and packets older than
/// that window are ignored; gaps are not reported (the jitter buffer
/// conceals from the timestamps). Padding-only packets are skipped.
public struct OpusDepacketizer: RTPDepacketizer, Sendable {
    /// How far behind the newest packet a packet may come and still be
    /// handed on: 64 packets, 1.28 s of 20 ms packets.
    public static let reorderWindow = 64

    private var unwrapper = SequenceNumberUnwrapper()
    private var newest: Int64?
    /// Bit `i` set: packet `newest - i` was handed on.
    private var seen: UInt64 = 0
    private var pending: [RTPFrame] = []
    private var pendingIndex = 0

    /// Packets that came twice, or more than ``reorderWindow`` behind the newest (ignored).
    public private(set) var latePackets = 0

    /// Creates a depacketizer.
    public init() {}

    /// Feeds one packet's payload and header fields.
    public mutating func push(payload: some Collection<UInt8>, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool) {
        guard !payload.isEmpty else { return }
        let sequence = unwrapper.unwrap(sequenceNumber)
        if let newest, sequence <= newest {
            let behind = newest - sequence
            guard behind < Int64(Self.reorderWindow), seen & (1 << UInt64(behind)) == 0 else {
                latePackets += 1
                return
            }
            seen |= 1 << UInt64(behind)
        } else {
            let ahead = newest.map { sequence - $0 } ?? Int64(Self.reorderWindow)
            seen = ahead >= Int64(Self.reorderWindow) ? 1 : seen << UInt64(ahead) | 1
            newest = sequence
        }
        pending.append(RTPFrame(
            data: Array(payload), timestamp: timestamp, isKeyFrame: true,
            firstSequenceNumber: sequenceNumber, packetCount: 1))
    }

    /// The next frame, in the order the packets were pushed, or nil.
    public mutating func pollEvent() -> RTPDepacketizerEvent? {
        guard pendingIndex < pending.count else {
            if !pending.isEmpty {
                pending.removeAll(keepingCapacity: true)
                pendingIndex = 0
            }
            return nil
        }
        defer { pendingIndex += 1 }
        return .frame(pending[pendingIndex])
    }
}
