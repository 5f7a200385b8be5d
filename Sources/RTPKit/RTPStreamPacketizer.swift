/// Turns frames into RTP packets for one outgoing stream: a packetizer for the
/// payloads plus the RTP header (SSRC, payload type, consecutive sequence
/// numbers, the frame's timestamp, the marker bit on each frame's last packet).
public struct RTPStreamPacketizer<Packetizer: RTPPacketizer> {
    /// The payload packetizer.
    public var packetizer: Packetizer
    /// The stream's SSRC.
    public var ssrc: UInt32
    /// The payload type, 0-127.
    public var payloadType: UInt8
    /// The sequence number the next packet will carry.
    public var sequenceNumber: UInt16
    /// The largest packet to produce, RTP header included (without SRTP's trailer).
    public var maxPacketSize: Int

    /// Creates a stream packetizer.
    ///
    /// - Precondition: `payloadType` is below 128.
    public init(packetizer: Packetizer, ssrc: UInt32, payloadType: UInt8, sequenceNumber: UInt16, maxPacketSize: Int = 1200) {
        precondition(payloadType < 128, "RTP payload type must be below 128")
        self.packetizer = packetizer
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.maxPacketSize = maxPacketSize
    }

    /// Packetizes one frame into new ``RTPPacket`` values.
    ///
    /// Every packet carries `headerExtension` and `csrcs` (at most 15), and the
    /// payloads are sized so that each whole packet fits `maxPacketSize`.
    public mutating func packetize(
        frame: some Collection<UInt8>,
        timestamp: UInt32,
        headerExtension: RTPHeaderExtension? = nil,
        csrcs: [UInt32] = []
    ) -> [RTPPacket] {
        var packets: [RTPPacket] = []
        let headerSize = RTPHeader.fixedSize + 4 * csrcs.count + (headerExtension?.serializedSize ?? 0)
        var next = sequenceNumber
        defer { sequenceNumber = next }
        let ssrc = self.ssrc
        let payloadType = self.payloadType
        packetizer.packetize(frame: frame, maxPayloadSize: maxPacketSize - headerSize) { payload, isLast in
            packets.append(RTPPacket(
                payloadType: payloadType, sequenceNumber: next, timestamp: timestamp, ssrc: ssrc,
                marker: isLast, csrcs: csrcs, headerExtension: headerExtension, payload: payload))
            next &+= 1
        }
        return packets
    }

    /// Packetizes one frame, serializing each packet into one reused buffer
    /// and handing it to `emit` (no allocation per packet).
    ///
    /// `emit` gets the buffer holding exactly one serialized packet, with at
    /// least `reservedTrailerCapacity` spare capacity so that SRTP can protect
    /// it in place; it may change the buffer (patch an extension element found
    /// with ``RTPHeader/extensionElementRange(id:in:)``, append a trailer) and
    /// must copy it to keep it.
    public mutating func packetize(
        frame: some Collection<UInt8>,
        timestamp: UInt32,
        headerExtension: RTPHeaderExtension? = nil,
        csrcs: [UInt32] = [],
        reservedTrailerCapacity: Int = 16,
        emit: (_ packet: inout [UInt8], _ sequenceNumber: UInt16, _ isLastOfFrame: Bool) throws -> Void
    ) rethrows {
        let headerSize = RTPHeader.fixedSize + 4 * csrcs.count + (headerExtension?.serializedSize ?? 0)
        let capacity = max(maxPacketSize, headerSize) + max(reservedTrailerCapacity, 0)
        var buffer: [UInt8] = []
        var next = sequenceNumber
        defer { sequenceNumber = next }
        let ssrc = self.ssrc
        let payloadType = self.payloadType
        try packetizer.packetize(frame: frame, maxPayloadSize: maxPacketSize - headerSize) { payload, isLast in
            buffer.removeAll(keepingCapacity: true)
            // A no-op unless `emit` kept or replaced the previous buffer.
            buffer.reserveCapacity(capacity)
            RTPPacket.writeHeader(
                into: &buffer, marker: isLast, payloadType: payloadType, sequenceNumber: next,
                timestamp: timestamp, ssrc: ssrc, csrcs: csrcs, headerExtension: headerExtension, hasPadding: false)
            buffer.append(contentsOf: payload)
            let current = next
            next &+= 1
            try emit(&buffer, current, isLast)
        }
    }
}

extension RTPStreamPacketizer: Sendable where Packetizer: Sendable {}
