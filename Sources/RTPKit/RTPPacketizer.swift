/// Splits encoded media frames into RTP payloads (a "payloader" in Pion's terms).
///
/// A packetizer writes payloads only; the RTP header (sequence number,
/// timestamp, marker on the last payload of a frame) is added by the caller or
/// by ``RTPStreamPacketizer``.
public protocol RTPPacketizer {
    /// Splits `frame` into payloads of at most `maxPayloadSize` bytes each,
    /// payload format headers included, and hands them to `emit` in order.
    ///
    /// The array given to `emit` is a scratch buffer the packetizer reuses for
    /// the next payload; copy it if you keep it (keeping it is safe, it only
    /// costs a copy). Emits nothing when the frame is empty or when
    /// `maxPayloadSize` cannot hold the payload format header and one byte.
    ///
    /// - Parameters:
    ///   - frame: one encoded frame.
    ///   - maxPayloadSize: the largest payload, format header included.
    ///   - emit: called with each payload and whether it is the frame's last.
    mutating func packetize(
        frame: some Collection<UInt8>,
        maxPayloadSize: Int,
        emit: (_ payload: [UInt8], _ isLastOfFrame: Bool) throws -> Void
    ) rethrows
}

extension RTPPacketizer {
    /// Splits `frame` into payloads of at most `maxPayloadSize` bytes each, as new arrays.
    public mutating func packetize(frame: some Collection<UInt8>, maxPayloadSize: Int) -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        packetize(frame: frame, maxPayloadSize: maxPayloadSize) { payload, _ in
            payloads.append(payload)
        }
        return payloads
    }
}
