/// Reassembles VP8 frames from RTP packets (RFC 7741).
///
/// A frame is delivered when its packets are all there: the first with S=1 and
/// PID=0, contiguous sequence numbers with one timestamp, and the last with the
/// marker bit. It is a key frame when the P bit of the VP8 payload header (the
/// low bit of the first byte after the first packet's descriptor) is 0.
///
/// Incomplete frames are dropped and reported with
/// ``RTPDepacketizerEvent/frameDropped(_:)``: a sequence gap, a frame whose
/// start is missing, or a timestamp change (or padding-only packet) before the
/// marker. After a drop, and at the start, delta frames are dropped too
/// (``RTPDroppedFrame/Reason/waitingForKeyFrame``) until a key frame arrives,
/// unless `dropsDeltaFramesUntilKeyFrame` is false. Each report is the cue to
/// send a PLI (rate-limit them: a run of dropped delta frames reports each one).
///
/// Reordering and loss, by time: packets pushed with their arrival time and
/// a loss wait (``push(payload:sequenceNumber:timestamp:marker:arrival:lossWait:)``)
/// make this the receiver's video jitter buffer. A missing packet is waited
/// for until the first packet after it has been there `lossWait` (set it to
/// cover a NACK, its retransmission and the jitter), later frames wait behind
/// it, and ``advance(to:)`` at ``nextDeadline`` gives it up when nothing
/// else arrives. After a gap, VP8 picture ids tell whether a frame went
/// missing in it: if not (a lost padding packet), the next frame is still
/// decodable and no key frame is needed.
///
/// Reordering and loss, by count: packets pushed without times may arrive up
/// to `reorderTolerance` positions late and still complete their frame. A
/// missing sequence number is declared lost once a packet more than
/// `reorderTolerance` numbers past it arrives (0: at the first later packet,
/// so any reordering counts as loss).
///
/// Either way a packet that arrives after its frame was delivered or dropped
/// is ignored and counted in ``latePackets``.
public struct VP8Depacketizer: RTPDepacketizer, Sendable {
    private var assembler: FrameAssembler

    /// Payloads whose descriptor could not be parsed or that carried no VP8 data;
    /// they count as lost.
    public private(set) var malformedPackets = 0

    /// Creates a depacketizer.
    ///
    /// - Parameters:
    ///   - reorderTolerance: how many positions late a packet may arrive (0-`capacity`/2).
    ///   - capacity: how many packets the reassembly ring holds (rounded up to a
    ///     power of two, 16-65536); a frame longer than that is dropped.
    ///   - dropsDeltaFramesUntilKeyFrame: whether to hold back delta frames at the
    ///     start and after a loss until a key frame arrives.
    public init(reorderTolerance: Int = 8, capacity: Int = 1024, dropsDeltaFramesUntilKeyFrame: Bool = true) {
        assembler = FrameAssembler(
            capacity: capacity, reorderTolerance: reorderTolerance,
            dropsDeltaFramesUntilKeyFrame: dropsDeltaFramesUntilKeyFrame)
    }

    /// Packets that arrived after their frame was delivered or dropped (ignored).
    public var latePackets: Int { assembler.latePackets }
    /// Packets received twice (the copy is ignored).
    public var duplicatePackets: Int { assembler.duplicatePackets }
    /// Sequence numbers given up as lost: they never arrived in time.
    public var lostPackets: Int { assembler.lostPackets }
    /// Gaps passed over without waiting for a key frame, because the picture
    /// ids on either side were consecutive.
    public var gapsWithoutMissingFrames: Int { assembler.gapsWithoutMissingFrames }
    /// When ``advance(to:)`` has a gap to give up, if nothing fills it first.
    public var nextDeadline: ContinuousClock.Instant? { assembler.nextDeadline }

    /// Gives up the gaps that have waited their time by `now`.
    public mutating func advance(to now: ContinuousClock.Instant) {
        assembler.advance(to: now)
    }

    /// Feeds one packet with its arrival time, waiting up to `lossWait` for
    /// any packet missing before it.
    @inlinable
    public mutating func push(
        payload: some Collection<UInt8>, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool,
        arrival: ContinuousClock.Instant, lossWait: Duration
    ) {
        withBorrowedBytesNonThrowing(payload) { buffer in
            insert(payload: buffer, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker, arrival: arrival, lossWait: lossWait)
        }
    }

    /// Feeds one packet's payload and header fields.
    @inlinable
    public mutating func push(payload: some Collection<UInt8>, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool) {
        withBorrowedBytesNonThrowing(payload) { buffer in
            push(payload: buffer, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker)
        }
    }

    /// Feeds one packet's payload, in raw memory, and header fields.
    public mutating func push(payload buffer: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool) {
        insert(payload: buffer, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker, arrival: nil, lossWait: nil)
    }

    /// Parses one payload's descriptor and hands the packet to the
    /// assembler; with `arrival` and `lossWait`, gaps are waited for by time.
    @usableFromInline
    mutating func insert(
        payload buffer: UnsafeRawBufferPointer, sequenceNumber: UInt16, timestamp: UInt32, marker: Bool,
        arrival: ContinuousClock.Instant?, lossWait: Duration?
    ) {
        if buffer.isEmpty {
            assembler.insert(
                sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker, content: .filler, body: buffer,
                arrival: arrival, lossWait: lossWait)
            return
        }
        guard let (descriptor, size) = VP8PayloadDescriptor.parse(buffer), size < buffer.count else {
            malformedPackets += 1
            assembler.insert(
                sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker, content: .malformed, body: buffer,
                arrival: arrival, lossWait: lossWait)
            return
        }
        let body = UnsafeRawBufferPointer(rebasing: buffer[size...])
        let isStart = descriptor.isStartOfFrame
        let isKeyFrame = isStart && body[0] & 0x01 == 0
        var pictureID: UInt16 = 0
        var pictureIDMask: UInt16 = 0
        switch descriptor.pictureID {
        case .sevenBit(let value): (pictureID, pictureIDMask) = (UInt16(value), 0x7F)
        case .fifteenBit(let value): (pictureID, pictureIDMask) = (value, 0x7FFF)
        case nil: break
        }
        assembler.insert(
            sequenceNumber: sequenceNumber, timestamp: timestamp, marker: marker,
            content: .media(isStart: isStart, isKeyFrame: isKeyFrame, pictureID: pictureID, pictureIDMask: pictureIDMask),
            body: body, arrival: arrival, lossWait: lossWait)
    }

    /// The next frame or drop report, or nil.
    public mutating func pollEvent() -> RTPDepacketizerEvent? {
        assembler.pollEvent()
    }
}
