import RTPKit
import SecureTransport

/// The sending half of a video track: encoded frames in, SRTP packets out,
/// and the sender's RTCP (sender reports, SDES) on a schedule.
struct VideoSendStream {
    let ssrc: UInt32
    let cname: String
    private(set) var payloadType: UInt8
    private var packetizer: RTPStreamPacketizer<VP8Packetizer>
    /// RTP timestamps start at a random offset (RFC 3550 5.1).
    private let timestampOffset = UInt32.random(in: .min ... .max)
    private(set) var lastRTPTimestamp: UInt32 = 0
    /// The capture time of the last frame sent and when it was sent, so a
    /// sender report can say which RTP time corresponds to "now".
    private var lastFrame: (timestamp: Duration, sentAt: ContinuousClock.Instant)?
    private(set) var packetsSent: UInt32 = 0
    private(set) var octetsSent: UInt32 = 0
    /// Recently sent packets (before SRTP), for retransmission on NACK.
    private var history = RetransmissionHistory(capacity: 512)

    init(ssrc: UInt32, cname: String, payloadType: UInt8, maxPacketSize: Int) {
        self.ssrc = ssrc
        self.cname = cname
        self.payloadType = payloadType
        self.packetizer = RTPStreamPacketizer(
            packetizer: VP8Packetizer(pictureID: UInt16.random(in: 0...0x7FFF)), ssrc: ssrc, payloadType: payloadType,
            sequenceNumber: UInt16.random(in: 0...0x7FFF), maxPacketSize: maxPacketSize)
    }

    /// Uses the payload type the answer settled on.
    mutating func setPayloadType(_ payloadType: UInt8) {
        self.payloadType = payloadType
        packetizer.payloadType = payloadType
    }

    /// Packetizes one encoded frame, protects each packet in place and hands
    /// it to `send`. `timestamp` is the frame's capture time.
    mutating func send(
        frame: [UInt8], timestamp: Duration, at now: ContinuousClock.Instant, srtp: SRTPSession, send: (inout [UInt8]) -> Void
    ) throws -> (packets: Int, bytes: Int) {
        let rtpTimestamp = rtpTimestamp(for: timestamp)
        lastRTPTimestamp = rtpTimestamp
        lastFrame = (timestamp, now)
        var packets = 0
        var bytes = 0
        try packetizer.packetize(
            frame: frame, timestamp: rtpTimestamp, reservedTrailerCapacity: SRTPSession.maximumTrailerLength
        ) { packet, sequenceNumber, _ in
            bytes += packet.count
            history.store(packet, sequenceNumber: sequenceNumber)
            try srtp.protect(rtp: &packet)
            packets += 1
            send(&packet)
        }
        packetsSent &+= UInt32(truncatingIfNeeded: packets)
        octetsSent &+= UInt32(truncatingIfNeeded: bytes - packets * 12)
        return (packets, bytes)
    }

    /// Sends again the packets a NACK names that are still in the history
    /// (RFC 4585 6.2.1); returns how many went out.
    mutating func retransmit(_ sequenceNumbers: [UInt16], srtp: SRTPSession, send: (inout [UInt8]) -> Void) -> Int {
        var count = 0
        for sequenceNumber in sequenceNumbers {
            guard var packet = history.packet(sequenceNumber: sequenceNumber) else { continue }
            packet.reserveCapacity(packet.count + SRTPSession.maximumTrailerLength)
            guard (try? srtp.protect(rtp: &packet)) != nil else { continue }
            send(&packet)
            count += 1
        }
        return count
    }

    /// A sender report and SDES for the compound RTCP packet (RFC 3550 6.4.1).
    /// The RTP time in it is the last frame's, moved on by the time since it
    /// was sent, so that it corresponds to `ntp`.
    func senderReport(ntp: NTPTimestamp, at now: ContinuousClock.Instant) -> [RTCPPacket] {
        let rtpNow = lastFrame.map { rtpTimestamp(for: $0.timestamp + (now - $0.sentAt)) } ?? lastRTPTimestamp
        return [
            .senderReport(
                RTCPSenderReport(
                    ssrc: ssrc, ntpTimestamp: ntp, rtpTimestamp: rtpNow, packetCount: packetsSent,
                    octetCount: octetsSent)),
            .sourceDescription(RTCPSourceDescription(chunks: [.init(ssrc: ssrc, cname: cname)])),
        ]
    }

    /// The RTP timestamp for a wall-clock-free capture time.
    func rtpTimestamp(for timestamp: Duration) -> UInt32 {
        timestampOffset &+ UInt32(truncatingIfNeeded: Self.ticks90kHz(timestamp))
    }

    static func ticks90kHz(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 90_000 + attoseconds / 11_111_111_111_111
    }
}
