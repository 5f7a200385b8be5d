/// Reassembles encoded media frames from RTP packets.
///
/// Push every packet of one stream (one SSRC) in arrival order, padding-only
/// packets included, then poll events until nil: complete frames, and reports
/// of frames that were dropped (the receiver's cue to ask for a key frame
/// with PLI or FIR).
public protocol RTPDepacketizer {
    /// Feeds one packet's payload (padding removed) and header fields.
    mutating func push(payload: some Collection<UInt8>, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool)

    /// The next frame or drop report, or nil when there is none yet.
    mutating func pollEvent() -> RTPDepacketizerEvent?

    /// Feeds one packet with its arrival time, waiting up to `lossWait` for a
    /// missing packet (a retransmission, or a packet reordered in flight)
    /// before giving its frame up. A depacketizer that never waits ignores
    /// the times.
    mutating func push(
        payload: some Collection<UInt8>, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool,
        arrival: ContinuousClock.Instant, lossWait: Duration)

    /// Gives up what has waited `lossWait` by `now`, delivering what that frees.
    mutating func advance(to now: ContinuousClock.Instant)

    /// When ``advance(to:)`` has something to give up if nothing arrives first.
    var nextDeadline: ContinuousClock.Instant? { get }

    /// Missing sequence numbers given up as lost (never arrived in time).
    var lostPackets: Int { get }
}

extension RTPDepacketizer {
    /// Ignores the times: every packet is handled as it comes.
    public mutating func push(
        payload: some Collection<UInt8>, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool,
        arrival: ContinuousClock.Instant, lossWait: Duration
    ) {
        push(payload: payload, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker)
    }

    /// Nothing waits, so nothing is given up.
    public mutating func advance(to now: ContinuousClock.Instant) {}

    /// Nothing waits.
    public var nextDeadline: ContinuousClock.Instant? { nil }

    /// Nothing is waited for, so nothing is counted.
    public var lostPackets: Int { 0 }

    /// Feeds one parsed packet.
    public mutating func push(_ packet: RTPPacket) {
        push(payload: packet.payload, sequenceNumber: packet.sequenceNumber, timestamp: packet.timestamp, marker: packet.marker)
    }

    /// Feeds one packet from its parsed header and the bytes the header was
    /// parsed from, without copying the payload first.
    @inlinable
    public mutating func push(header: RTPHeader, packet: some Collection<UInt8>) {
        withBorrowedBytesNonThrowing(packet) { buffer in
            guard header.payloadRange.upperBound <= buffer.count else { return }
            push(
                payload: UnsafeRawBufferPointer(rebasing: buffer[header.payloadRange]),
                sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, marker: header.marker)
        }
    }

    /// Feeds one packet from its parsed header and bytes, with its arrival
    /// time and how long a missing packet may be waited for.
    @inlinable
    public mutating func push(
        header: RTPHeader, packet: some Collection<UInt8>, arrival: ContinuousClock.Instant, lossWait: Duration
    ) {
        withBorrowedBytesNonThrowing(packet) { buffer in
            guard header.payloadRange.upperBound <= buffer.count else { return }
            push(
                payload: UnsafeRawBufferPointer(rebasing: buffer[header.payloadRange]),
                sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, marker: header.marker,
                arrival: arrival, lossWait: lossWait)
        }
    }
}

/// What a depacketizer hands out.
public enum RTPDepacketizerEvent: Sendable, Hashable {
    /// A complete frame, ready for the decoder.
    case frame(RTPFrame)
    /// A frame that could not be completed and was discarded.
    case frameDropped(RTPDroppedFrame)
}

/// A complete encoded frame reassembled from RTP packets.
public struct RTPFrame: Sendable, Hashable {
    /// The frame's bytes, payload format headers removed.
    public var data: [UInt8]
    /// The RTP timestamp shared by the frame's packets.
    public var timestamp: UInt32
    /// Whether the frame can be decoded without earlier frames.
    public var isKeyFrame: Bool
    /// The sequence number of the frame's first packet.
    public var firstSequenceNumber: UInt16
    /// The number of packets the frame arrived in.
    public var packetCount: Int
    /// When the frame's first packet arrived, for packets pushed with their
    /// arrival time (the start of W3C's jitter-buffer delay).
    public var firstPacketArrival: ContinuousClock.Instant?

    /// Creates a frame.
    public init(
        data: [UInt8], timestamp: UInt32, isKeyFrame: Bool, firstSequenceNumber: UInt16, packetCount: Int,
        firstPacketArrival: ContinuousClock.Instant? = nil
    ) {
        self.data = data
        self.timestamp = timestamp
        self.isKeyFrame = isKeyFrame
        self.firstSequenceNumber = firstSequenceNumber
        self.packetCount = packetCount
        self.firstPacketArrival = firstPacketArrival
    }
}

/// A report that a depacketizer discarded a frame (or packets it could not place in one).
public struct RTPDroppedFrame: Sendable, Hashable {
    /// Why a frame was dropped.
    public struct Reason: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        /// The reason's spelling.
        public var rawValue: String
        /// Creates a reason from its spelling.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The reason's spelling.
        public var description: String { rawValue }

        /// A packet of the frame never arrived (a sequence number gap), or a
        /// whole frame between two complete ones may have been lost.
        public static let packetLoss = Reason(rawValue: "packet-loss")
        /// The frame's packets start without a frame start (its first packet was lost).
        public static let missingStart = Reason(rawValue: "missing-start")
        /// The timestamp changed (or a padding-only packet came) before the marker
        /// bit ended the frame.
        public static let missingEnd = Reason(rawValue: "missing-end")
        /// The frame was complete but needs an earlier frame the decoder did not get;
        /// it is dropped until a key frame arrives.
        public static let waitingForKeyFrame = Reason(rawValue: "waiting-for-key-frame")
        /// The frame spans more packets than the reassembly buffer holds.
        public static let bufferOverflow = Reason(rawValue: "buffer-overflow")
    }

    /// Why the frame was dropped.
    public var reason: Reason
    /// The RTP timestamp of the dropped packets, when any arrived.
    public var timestamp: UInt32?
    /// How many received packets were discarded when the drop was reported (0
    /// when only a gap was seen). Packets of the same frame that arrive after
    /// the report are discarded quietly, without a second report.
    public var discardedPackets: Int

    /// Creates a drop report.
    public init(reason: Reason, timestamp: UInt32?, discardedPackets: Int) {
        self.reason = reason
        self.timestamp = timestamp
        self.discardedPackets = discardedPackets
    }
}
