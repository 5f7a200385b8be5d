/// Takes Opus packets out of RTP payloads (RFC 7587): each non-empty payload
/// is one frame, delivered at once and marked as a key frame (every Opus
/// packet decodes on its own).
///
/// Duplicates and packets older than the newest one delivered are ignored;
/// gaps are not reported (the decoder's concealment works from the timestamps
/// the caller keeps). Padding-only packets are skipped.
public struct OpusDepacketizer: RTPDepacketizer, Sendable {
    private var unwrapper = SequenceNumberUnwrapper()
    private var newest: Int64?
    private var pending: [RTPFrame] = []
    private var pendingIndex = 0

    /// Packets older than the newest one delivered, or repeated (ignored).
    public private(set) var latePackets = 0

    /// Creates a depacketizer.
    public init() {}

    /// Feeds one packet's payload and header fields.
    public mutating func push(payload: some Collection<UInt8>, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool) {
        guard !payload.isEmpty else { return }
        let sequence = unwrapper.unwrap(sequenceNumber)
        if let newest, sequence <= newest {
            latePackets += 1
            return
        }
        newest = sequence
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
