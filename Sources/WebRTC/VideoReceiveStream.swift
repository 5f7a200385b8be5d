import RTPKit

/// The receiving half of a video track: RTP in, complete VP8 frames out,
/// plus what the receiver's RTCP needs (reception statistics, and whether a
/// key frame must be requested).
struct VideoReceiveStream {
    /// Our own SSRC, used as the sender of RTCP feedback.
    let localSSRC: UInt32
    let cname: String
    private(set) var remoteSSRC: UInt32?
    private var depacketizer = VP8Depacketizer()
    private(set) var statistics: RTPReceiveStatistics?
    private var lastKeyFrameRequest: ContinuousClock.Instant?
    /// Set when a frame was lost or the stream starts without a key frame.
    private(set) var needsKeyFrame = true
    private var sequenceUnwrapper = SequenceNumberUnwrapper()
    private var highestSequence: Int64?

    /// At most this many missing packets are asked for at once; a bigger gap
    /// is left to a key-frame request.
    static let maxNACKBatch = 32

    /// Key-frame requests are spaced by at least this much.
    static let keyFrameRequestInterval: Duration = .milliseconds(500)

    init(localSSRC: UInt32, cname: String) {
        self.localSSRC = localSSRC
        self.cname = cname
    }

    /// Feeds one decrypted RTP packet; returns the frames it completed and
    /// the sequence numbers found missing (to NACK).
    mutating func receive(
        _ packet: RTPHeader, bytes: [UInt8], at now: ContinuousClock.Instant, frames: inout [RTPFrame], dropped: inout Int,
        missing: inout [UInt16]
    ) {
        if remoteSSRC != packet.ssrc {
            remoteSSRC = packet.ssrc
            statistics = RTPReceiveStatistics(ssrc: packet.ssrc, clockRate: 90_000)
            sequenceUnwrapper = SequenceNumberUnwrapper()
            highestSequence = nil
        }
        let sequence = sequenceUnwrapper.unwrap(packet.sequenceNumber)
        if let highest = highestSequence, sequence > highest + 1 {
            let gap = sequence - highest - 1
            if gap <= Int64(Self.maxNACKBatch) {
                for lost in (highest + 1)..<sequence { missing.append(UInt16(truncatingIfNeeded: lost)) }
            }
        }
        highestSequence = max(highestSequence ?? sequence, sequence)
        _ = statistics?.record(sequenceNumber: packet.sequenceNumber, rtpTimestamp: packet.timestamp, arrival: now)
        depacketizer.push(header: packet, packet: bytes)
        while let event = depacketizer.pollEvent() {
            switch event {
            case .frame(let frame):
                if frame.isKeyFrame { needsKeyFrame = false }
                frames.append(frame)
            case .frameDropped:
                dropped += 1
                needsKeyFrame = true
            }
        }
    }

    /// Notes a sender report from the remote side (for LSR/DLSR).
    mutating func receive(senderReport: RTCPSenderReport, at now: ContinuousClock.Instant) {
        guard senderReport.ssrc == remoteSSRC else { return }
        statistics?.recordSenderReport(senderReport, arrival: now)
    }

    /// A generic NACK (RFC 4585) for `missing` packets of the remote stream.
    func negativeAcknowledgement(for missing: [UInt16]) -> RTCPPacket? {
        guard let remoteSSRC, !missing.isEmpty else { return nil }
        return .genericNACK(RTCPGenericNACK(senderSSRC: localSSRC, mediaSSRC: remoteSSRC, lostSequenceNumbers: missing))
    }

    /// Asks for a key frame at the next chance (a decoder failed, say).
    mutating func requestKeyFrame() {
        needsKeyFrame = true
    }

    /// A PLI if a key frame is needed and the last request is old enough.
    mutating func pictureLossIndication(at now: ContinuousClock.Instant) -> RTCPPacket? {
        guard needsKeyFrame, let remoteSSRC else { return nil }
        if let last = lastKeyFrameRequest, now - last < Self.keyFrameRequestInterval { return nil }
        lastKeyFrameRequest = now
        return .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: localSSRC, mediaSSRC: remoteSSRC))
    }

    /// The receiver report and SDES for the periodic compound RTCP packet.
    mutating func receiverReport(at now: ContinuousClock.Instant) -> [RTCPPacket] {
        let blocks = statistics?.makeReportBlock(at: now).map { [$0] } ?? []
        return [
            .receiverReport(RTCPReceiverReport(ssrc: localSSRC, reportBlocks: blocks)),
            .sourceDescription(RTCPSourceDescription(chunks: [.init(ssrc: localSSRC, cname: cname)])),
        ]
    }

    /// Packets lost so far (RFC 3550 cumulative loss).
    var packetsLost: Int { Int(statistics?.cumulativeLost ?? 0) }
}
