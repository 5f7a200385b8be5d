/// Puts Opus packets into RTP payloads (RFC 7587): one Opus packet per RTP
/// payload, unchanged.
public struct OpusPacketizer: RTPPacketizer, Sendable {
    /// Creates a packetizer.
    public init() {}

    /// Emits `frame` as a single payload; emits nothing when it is empty or
    /// larger than `maxPayloadSize` (Opus packets are never fragmented).
    public mutating func packetize(
        frame: some Collection<UInt8>,
        maxPayloadSize: Int,
        emit: (_ payload: [UInt8], _ isLastOfFrame: Bool) throws -> Void
    ) rethrows {
        let count = frame.count
        guard count > 0, count <= maxPayloadSize else { return }
        try emit(Array(frame), true)
    }
}
