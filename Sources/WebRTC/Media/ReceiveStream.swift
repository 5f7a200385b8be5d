import RTPKit

/// What a receiving stream is made from.
struct ReceiveStreamSetup {
    var mid: String
    var kind: TrackKind
    var remoteSSRC: UInt32
    var localSSRC: UInt32
    var clockRate: Int
    /// The negotiated RFC 6464 audio-level extension id, if any.
    var audioLevelExtensionID: UInt8?
    /// Whether missing packets are NACKed (RFC 4585 generic NACK was negotiated).
    var sendsNACK: Bool
    /// Whether lost frames are repaired with PLI (`nack pli` was negotiated).
    var sendsPLI: Bool
    /// Whether key frames are asked for with FIR (`ccm fir`) when PLI was not negotiated.
    var sendsFIR: Bool
    /// The least time between two key-frame requests (PLI or FIR).
    var pictureLossIndicationInterval: Duration
}

/// Where a receiving stream puts what one packet produced.
struct ReceiveOutput {
    /// Frames completed by the packet.
    var frames: [ReceivedFrame] = []
    /// Sequence numbers found missing, to NACK.
    var missing: [UInt16] = []
    /// Whether `missing` asks again for a packet already asked for: the
    /// request or its retransmission was lost, and the NACK goes out twice.
    var asksAgain = false

    mutating func reset() {
        frames.removeAll(keepingCapacity: true)
        missing.removeAll(keepingCapacity: true)
        asksAgain = false
    }
}

/// The receiving half of one remote track, whatever its codec: decrypted
/// RTP in, complete encoded frames out, and what the receiver's RTCP needs.
/// A class, so that the per-packet path mutates it where it is kept.
protocol MediaReceiveStream: AnyObject {
    var remoteSSRC: UInt32 { get }
    var mid: String { get }
    var kind: TrackKind { get }
    var statistics: InboundStreamStatistics { get set }

    /// Feeds one decrypted packet; `bytes` is the whole packet `header` was
    /// parsed from. `roundTrip` paces the NACKs of missing packets. A
    /// retransmission restored from RTX fills its gap but is left out of
    /// the reception statistics (an old sequence number there would look
    /// like a restarted stream, RFC 3550 A.1).
    func receive(
        _ header: RTPHeader, bytes: [UInt8], isRetransmission: Bool, roundTrip: Duration, at now: ContinuousClock.Instant,
        into output: inout ReceiveOutput)
    /// Notes a sender report of this stream (for LSR/DLSR and the capture-time mapping).
    func receive(senderReport: RTCPSenderReport, at now: ContinuousClock.Instant)
    /// This stream's report block for the next RTCP report.
    func reportBlock(at now: ContinuousClock.Instant) -> RTCPReportBlock?
    /// Gives up, at `now`, the missing packets the jitter buffer waited for
    /// long enough, and NACKs again those due; what that frees goes to `output`.
    func advance(roundTrip: Duration, at now: ContinuousClock.Instant, into output: inout ReceiveOutput)
    /// When ``advance(roundTrip:at:into:)`` has something to do if no packet comes first.
    func nextDeadline(roundTrip: Duration) -> ContinuousClock.Instant?
    /// Asks for a key frame at the next chance.
    func requestKeyFrame()
    /// A PLI (or, with only `ccm fir` negotiated, a FIR), when a key frame is
    /// needed and the last request is old enough.
    func keyFrameRequest(at now: ContinuousClock.Instant) -> RTCPPacket?
}

/// A receiving stream over one RTP payload format.
final class RTPReceiveStream<Depacketizer: RTPDepacketizer>: MediaReceiveStream {
    let remoteSSRC: UInt32
    let localSSRC: UInt32
    let mid: String
    let kind: TrackKind
    let clockRate: Int
    var statistics = InboundStreamStatistics()
    private let sendsNACK: Bool
    private let sendsPLI: Bool
    private let sendsFIR: Bool
    /// The FIR sequence number, advanced for each new request (RFC 5104 4.3.1.1).
    private var firSequence: UInt8 = 0
    /// Whether key frames can be asked for at all.
    private var asksForKeyFrames: Bool { sendsPLI || sendsFIR }
    private let audioLevelExtensionID: UInt8?
    private var depacketizer: Depacketizer
    private(set) var reception: RTPReceiveStatistics
    private var sequenceUnwrapper = SequenceNumberUnwrapper()
    /// The missing packets asked for again (RTT-aware NACK).
    private var nackList = NACKList()
    private var freezes = FreezeDetector()
    private var timestampUnwrapper = TimestampUnwrapper()
    private var firstTimestamp: Int64?
    /// The last sender report's NTP time and unwrapped RTP time.
    private var senderClock: (ntp: NTPTimestamp, rtp: Int64)?
    private var needsKeyFrame: Bool
    private var lastKeyFrameRequest: ContinuousClock.Instant?
    private let pictureLossIndicationInterval: Duration

    init(setup: ReceiveStreamSetup, depacketizer: Depacketizer) {
        remoteSSRC = setup.remoteSSRC
        localSSRC = setup.localSSRC
        mid = setup.mid
        kind = setup.kind
        clockRate = setup.clockRate
        sendsNACK = setup.sendsNACK
        sendsPLI = setup.sendsPLI
        sendsFIR = setup.sendsFIR
        audioLevelExtensionID = setup.audioLevelExtensionID
        needsKeyFrame = setup.sendsPLI || setup.sendsFIR
        pictureLossIndicationInterval = setup.pictureLossIndicationInterval
        self.depacketizer = depacketizer
        reception = RTPReceiveStatistics(ssrc: setup.remoteSSRC, clockRate: setup.clockRate)
        statistics.mid = setup.mid
        statistics.kind = setup.kind
        statistics.ssrc = setup.remoteSSRC
    }

    /// How long the jitter buffer waits for a missing packet: the reordering
    /// the measured jitter allows and, where missing packets are NACKed,
    /// four round trips on top: the NACK list asks every round trip and a
    /// quarter, so the third request's retransmission (after a lost NACK or
    /// a lost retransmission, twice) arrives in about three and a half.
    /// Never longer than the NACK list keeps asking (500 ms), however large
    /// a jitter the sender's timestamps make.
    static func lossWait(roundTrip: Duration, jitter: Duration, nacks: Bool) -> Duration {
        let reordering = min(max(jitter * 3, .milliseconds(15)), NACKList.maxAge)
        guard nacks else { return reordering }
        return min(roundTrip * 4 + reordering, NACKList.maxAge)
    }

    /// How long a missing packet goes unasked for, in case it was only
    /// overtaken in flight: three times the measured jitter, at most half a
    /// round trip (a clean link asks at once).
    static func reorderingDelay(roundTrip: Duration, jitter: Duration) -> Duration {
        min(jitter * 3, roundTrip / 2)
    }

    func receive(
        _ header: RTPHeader, bytes: [UInt8], isRetransmission: Bool, roundTrip: Duration, at now: ContinuousClock.Instant,
        into output: inout ReceiveOutput
    ) {
        if !isRetransmission {
            statistics.packetsReceived += 1
            statistics.bytesReceived += bytes.count
        }
        if sendsNACK {
            let sequence = sequenceUnwrapper.unwrap(header.sequenceNumber)
            if nackList.arrived(sequence, at: now) == .needsKeyFrame, asksForKeyFrames { needsKeyFrame = true }
            nackList.due(
                at: now, roundTrip: roundTrip, reorderingDelay: Self.reorderingDelay(roundTrip: roundTrip, jitter: statistics.jitter),
                into: &output.missing, asksAgain: &output.asksAgain)
            statistics.packetsRecovered = nackList.recovered
        }
        if !isRetransmission {
            _ = reception.record(sequenceNumber: header.sequenceNumber, rtpTimestamp: header.timestamp, arrival: now)
            statistics.packetsLost = Int(reception.cumulativeLost)
            statistics.jitter = reception.jitterDuration
        }
        var audioLevel: UInt8?
        if let audioLevelExtensionID, let range = header.extensionElementRange(id: audioLevelExtensionID, in: bytes),
            range.count >= 1
        {
            audioLevel = bytes[range.lowerBound] & 0x7F
            statistics.audioLevel = audioLevel
        }
        let wait = Self.lossWait(roundTrip: roundTrip, jitter: statistics.jitter, nacks: sendsNACK)
        depacketizer.push(header: header, packet: bytes, arrival: now, lossWait: wait)
        drainDepacketizer(audioLevel: audioLevel, at: now, into: &output)
    }

    func advance(roundTrip: Duration, at now: ContinuousClock.Instant, into output: inout ReceiveOutput) {
        if sendsNACK {
            nackList.due(
                at: now, roundTrip: roundTrip, reorderingDelay: Self.reorderingDelay(roundTrip: roundTrip, jitter: statistics.jitter),
                into: &output.missing, asksAgain: &output.asksAgain)
            statistics.packetsRecovered = nackList.recovered
        }
        depacketizer.advance(to: now)
        drainDepacketizer(audioLevel: nil, at: now, into: &output)
    }

    func nextDeadline(roundTrip: Duration) -> ContinuousClock.Instant? {
        let nack = sendsNACK
            ? nackList.nextDue(roundTrip: roundTrip, reorderingDelay: Self.reorderingDelay(roundTrip: roundTrip, jitter: statistics.jitter))
            : nil
        guard let frames = depacketizer.nextDeadline else { return nack }
        return min(frames, nack ?? frames)
    }

    private func drainDepacketizer(audioLevel: UInt8?, at now: ContinuousClock.Instant, into output: inout ReceiveOutput) {
        while let event = depacketizer.pollEvent() {
            switch event {
            case .frame(let frame):
                if frame.isKeyFrame {
                    needsKeyFrame = false
                }
                statistics.framesReceived += 1
                if let arrival = frame.firstPacketArrival {
                    statistics.jitterBufferDelay += now - arrival
                    statistics.jitterBufferEmittedCount += 1
                }
                if kind == .video {
                    freezes.frame(at: now)
                    statistics.freezeCount = freezes.count
                    statistics.totalFreezesDuration = freezes.totalDuration
                }
                output.frames.append(received(frame, audioLevel: audioLevel))
            case .frameDropped:
                statistics.framesDropped += 1
                if asksForKeyFrames { needsKeyFrame = true }
            }
        }
        statistics.packetsUnrecovered = depacketizer.lostPackets
    }

    private func received(_ frame: RTPFrame, audioLevel: UInt8?) -> ReceivedFrame {
        let ticks = timestampUnwrapper.unwrap(frame.timestamp)
        let first = firstTimestamp ?? ticks
        firstTimestamp = first
        // Clamped (to years) so that a hostile timestamp cannot overflow.
        let elapsed = min(max(ticks &- first, -(1 << 40)), 1 << 40)
        var captureTime: NTPTimestamp?
        if let senderClock {
            let sinceReport = min(max(ticks &- senderClock.rtp, -(1 << 40)), 1 << 40)
            captureTime = senderClock.ntp.advanced(by: .seconds(sinceReport) / clockRate)
        }
        return ReceivedFrame(
            mid: mid, kind: kind, data: frame.data, isKeyFrame: frame.isKeyFrame, rtpTimestamp: frame.timestamp,
            timestamp: .seconds(elapsed) / clockRate, captureTime: captureTime, audioLevel: audioLevel)
    }

    func receive(senderReport: RTCPSenderReport, at now: ContinuousClock.Instant) {
        reception.recordSenderReport(senderReport, arrival: now)
        senderClock = (senderReport.ntpTimestamp, timestampUnwrapper.unwrap(senderReport.rtpTimestamp))
    }

    func reportBlock(at now: ContinuousClock.Instant) -> RTCPReportBlock? {
        reception.makeReportBlock(at: now)
    }

    func requestKeyFrame() {
        if asksForKeyFrames { needsKeyFrame = true }
    }

    func keyFrameRequest(at now: ContinuousClock.Instant) -> RTCPPacket? {
        guard needsKeyFrame, asksForKeyFrames, statistics.packetsReceived > 0 else { return nil }
        if let last = lastKeyFrameRequest, now - last < pictureLossIndicationInterval { return nil }
        lastKeyFrameRequest = now
        if sendsPLI {
            statistics.pliCount += 1
            return .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: localSSRC, mediaSSRC: remoteSSRC))
        }
        firSequence &+= 1
        statistics.firCount += 1
        return .fullIntraRequest(RTCPFullIntraRequest(
            senderSSRC: localSSRC, entries: [.init(ssrc: remoteSSRC, sequenceNumber: firSequence)]))
    }

}
