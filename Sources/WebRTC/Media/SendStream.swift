import CodecBridge
import RTPKit
import SecureTransport

/// What a sending stream is made from: the negotiated values of its transceiver.
struct SendStreamSetup {
    var mid: String
    var kind: TrackKind
    var ssrc: UInt32
    var payloadType: UInt8
    var clockRate: Int
    var maxPacketSize: Int
    /// The header extensions every packet carries.
    var extensions: SendHeaderExtensionIDs
    /// Whether NACKs are answered (the stream keeps a packet history).
    var retransmits: Bool
    /// The RTX (RFC 4588) stream retransmissions go on, where it was
    /// negotiated; nil: they go on the media SSRC as they were.
    var rtx: (ssrc: UInt32, payloadType: UInt8)? = nil
}

/// The ids of the header extensions a sending stream writes, as negotiated
/// (nil: not negotiated).
struct SendHeaderExtensionIDs: Equatable {
    /// `sdes:mid` (RFC 8843).
    var mid: UInt8?
    /// The audio level (RFC 6464), audio only.
    var audioLevel: UInt8?
    /// The transport-wide sequence number of congestion control.
    var transportSequenceNumber: UInt8?
}

/// The sending half of one track, whatever its codec: frames in, RTP
/// packets out to the pacer (which protects them as they leave), and what
/// the sender's RTCP needs. A class, so that the
/// per-packet path mutates it where it is kept.
protocol MediaSendStream: AnyObject {
    var ssrc: UInt32 { get }
    var mid: String { get }
    var kind: TrackKind { get }
    var statistics: OutboundStreamStatistics { get set }
    var packetsSent: UInt32 { get }

    /// Follows a renegotiation that changed the payload types or extension ids.
    func update(payloadType: UInt8, extensions: SendHeaderExtensionIDs, rtxPayloadType: UInt8?)

    /// Packetizes one encoded frame captured `captureTime` after the media
    /// clock's origin and hands each packet, unprotected, to `send` with the
    /// offset of its transport-wide sequence number (nil when the extension
    /// was not negotiated): the pacer numbers and protects it when it
    /// leaves. `now` and `roundTrip` say how long the packets are kept for
    /// NACKs.
    func send(
        frame: [UInt8], captureTime: Duration, audioLevel: UInt8?, at now: ContinuousClock.Instant, roundTrip: Duration,
        send: (consuming [UInt8], Int?) -> Void
    ) -> Int

    /// Hands `send` again the packets a NACK names that are still kept (for
    /// max(1 s, 3 × `roundTrip`)) and were not already sent again within 3/4
    /// of `roundTrip`, unprotected and on the RTX stream where negotiated,
    /// each with the offset of its transport-wide sequence number; one
    /// already sent again before goes out twice. Returns how many went.
    func retransmit(
        _ sequenceNumbers: some Sequence<UInt16>, roundTrip: Duration, at now: ContinuousClock.Instant,
        send: (consuming [UInt8], Int?) -> Void
    ) -> Int

    /// A padding-only packet of about `size` bytes on the RTX stream, for a
    /// probe, with the offset of its transport-wide sequence number; nil
    /// without an RTX stream (padding never takes media sequence numbers).
    func paddingPacket(size: Int) -> (bytes: [UInt8], transportSequenceOffset: Int?)?

    /// The sender report for media time `mediaTime` (the media clock now) and wall clock `ntp`.
    func senderReport(ntp: NTPTimestamp, mediaTime: Duration) -> RTCPSenderReport
}

/// A sending stream over one RTP payload format.
final class RTPSendStream<Packetizer: RTPPacketizer>: MediaSendStream {
    let ssrc: UInt32
    let mid: String
    let kind: TrackKind
    let clockRate: Int
    var statistics = OutboundStreamStatistics()
    private var packetizer: RTPStreamPacketizer<Packetizer>
    /// RTP timestamps start at a random offset (RFC 3550 5.1).
    private let timestampOffset = UInt32.random(in: .min ... .max)
    private(set) var packetsSent: UInt32 = 0
    private var octetsSent: UInt32 = 0
    private var history: RetransmissionHistory?
    /// Bytes that may still be spent on retransmissions: each media byte
    /// sent earns half a byte, so retransmissions never take more than a
    /// third of what goes out, however many NACKs arrive.
    private var retransmissionBudget = RTPSendStream.initialRetransmissionBudget
    static var initialRetransmissionBudget: Int { 16_384 }
    static var maxRetransmissionBudget: Int { 524_288 }
    private var extensions = SendHeaderExtensionIDs()
    /// Where each packet's transport-wide sequence number goes, when negotiated.
    private var transportSequenceOffset: Int?
    /// The RTX stream's SSRC and payload type, and its own sequence numbers.
    private let rtxSSRC: UInt32?
    private var rtxPayloadType: UInt8?
    private var rtxSequenceNumber = UInt16.random(in: 0...0x7FFF)
    /// The header extension every packet carries, kept and patched in place.
    private var headerExtension: RTPHeaderExtension?
    /// The RTP timestamp of the last frame, which padding packets carry.
    private var lastRTPTimestamp: UInt32 = 0

    init(setup: SendStreamSetup, packetizer: Packetizer) {
        ssrc = setup.ssrc
        mid = setup.mid
        kind = setup.kind
        clockRate = setup.clockRate
        self.packetizer = RTPStreamPacketizer(
            packetizer: packetizer, ssrc: setup.ssrc, payloadType: setup.payloadType,
            sequenceNumber: UInt16.random(in: 0...0x7FFF), maxPacketSize: setup.maxPacketSize)
        if setup.retransmits {
            history = RetransmissionHistory(packetCapacity: setup.maxPacketSize)
        }
        rtxSSRC = setup.rtx?.ssrc
        statistics.ssrc = setup.ssrc
        statistics.rtxSSRC = setup.rtx?.ssrc
        statistics.mid = setup.mid
        statistics.kind = setup.kind
        update(payloadType: setup.payloadType, extensions: setup.extensions, rtxPayloadType: setup.rtx?.payloadType)
    }

    func update(payloadType: UInt8, extensions: SendHeaderExtensionIDs, rtxPayloadType: UInt8?) {
        packetizer.payloadType = payloadType
        // The RTX SSRC is fixed with the stream; a renegotiation may drop RTX or move its payload type.
        self.rtxPayloadType = rtxSSRC == nil ? nil : rtxPayloadType
        self.extensions = extensions
        var elements: [RTPHeaderExtension.Element] = []
        if let id = extensions.mid, (1...14).contains(id), !mid.isEmpty, mid.utf8.count <= 16 {
            elements.append(.init(id: id, data: Array(mid.utf8)))
        }
        if let id = extensions.audioLevel, (1...14).contains(id) {
            elements.append(.init(id: id, data: [0x7F]))
        }
        if let id = extensions.transportSequenceNumber, (1...14).contains(id) {
            elements.append(.init(id: id, data: [0, 0]))  // patched in each packet
        }
        headerExtension = elements.isEmpty ? nil : try? RTPHeaderExtension(oneByte: elements)
        transportSequenceOffset = extensions.transportSequenceNumber.flatMap { id in
            headerExtension?.dataOffset(id: id).map { RTPHeader.fixedSize + $0 }
        }
    }

    func send(
        frame: [UInt8], captureTime: Duration, audioLevel: UInt8?, at now: ContinuousClock.Instant, roundTrip: Duration,
        send: (consuming [UInt8], Int?) -> Void
    ) -> Int {
        let rtpTimestamp = rtpTimestamp(for: captureTime)
        lastRTPTimestamp = rtpTimestamp
        if let audioLevelExtensionID = extensions.audioLevel, let audioLevel, headerExtension != nil {
            // Voice activity is not known here; the level alone (V = 0).
            try? headerExtension?.setElement(id: audioLevelExtensionID, data: CollectionOfOne(min(audioLevel, 127)))
        }
        var packets = 0
        var bytes = 0
        packetizer.packetize(
            frame: frame, timestamp: rtpTimestamp, headerExtension: headerExtension,
            reservedTrailerCapacity: SRTPSession.maximumTrailerLength
        ) { packet, sequenceNumber, _ in
            bytes += packet.count
            history?.store(packet, sequenceNumber: sequenceNumber, at: now, roundTrip: roundTrip)
            packets += 1
            send(packet, transportSequenceOffset)
        }
        packetsSent &+= UInt32(truncatingIfNeeded: packets)
        // Payload octets only (RFC 3550 6.4.1): headers and extensions left out.
        let headerSize = RTPHeader.fixedSize + (headerExtension?.serializedSize ?? 0)
        octetsSent &+= UInt32(truncatingIfNeeded: bytes - packets * headerSize)
        statistics.packetsSent += packets
        statistics.bytesSent += bytes
        retransmissionBudget = min(retransmissionBudget + bytes / 2, Self.maxRetransmissionBudget)
        statistics.framesSent += 1
        return packets
    }

    func retransmit(
        _ sequenceNumbers: some Sequence<UInt16>, roundTrip: Duration, at now: ContinuousClock.Instant,
        send: (consuming [UInt8], Int?) -> Void
    ) -> Int {
        guard history != nil else { return 0 }
        var count = 0
        for sequenceNumber in sequenceNumbers {
            guard let (original, resentBefore) = history?.packetToResend(
                sequenceNumber: sequenceNumber, at: now, interval: roundTrip * 3 / 4, roundTrip: roundTrip,
                budget: retransmissionBudget)
            else {
                statistics.retransmissionsRefused += 1
                continue
            }
            // Asked for again after a round trip: the request or the
            // retransmission was lost, and the frame waits. Two copies make
            // this repair fail only if both are lost.
            for copy in 0..<(resentBefore ? 2 : 1) {
                // The second copy only within the budget, like the first.
                if copy > 0, original.count + 2 > retransmissionBudget { break }
                var packet = original
                if let rtxSSRC, let rtxPayloadType {
                    guard let wrapped = RTXPacket.wrap(packet, ssrc: rtxSSRC, payloadType: rtxPayloadType, sequenceNumber: rtxSequenceNumber)
                    else { continue }
                    rtxSequenceNumber &+= 1
                    packet = wrapped
                }
                retransmissionBudget -= packet.count
                statistics.bytesRetransmitted += packet.count
                // Found in the packet itself: it may have been kept from before a renegotiation moved the extension.
                var offset: Int?
                if let id = extensions.transportSequenceNumber, let header = try? RTPHeader(parsing: packet),
                    let range = header.extensionElementRange(id: id, in: packet), range.count == 2
                {
                    offset = range.lowerBound
                }
                packet.reserveCapacity(packet.count + SRTPSession.maximumTrailerLength)
                send(packet, offset)
                count += 1
            }
        }
        statistics.packetsRetransmitted += count
        return count
    }

    func paddingPacket(size: Int) -> (bytes: [UInt8], transportSequenceOffset: Int?)? {
        guard let rtxSSRC, let rtxPayloadType else { return nil }
        let headerSize = RTPHeader.fixedSize + (headerExtension?.serializedSize ?? 0)
        // The padding count is one byte, itself included (RFC 3550 5.1).
        let padding = UInt8(clamping: max(size - headerSize, 1))
        let packet = RTPPacket(
            payloadType: rtxPayloadType, sequenceNumber: rtxSequenceNumber, timestamp: lastRTPTimestamp, ssrc: rtxSSRC,
            headerExtension: headerExtension, paddingLength: padding)
        rtxSequenceNumber &+= 1
        var bytes: [UInt8] = []
        bytes.reserveCapacity(packet.serializedSize + SRTPSession.maximumTrailerLength)
        packet.serialize(into: &bytes)
        statistics.paddingPacketsSent += 1
        return (bytes, transportSequenceOffset)
    }

    func senderReport(ntp: NTPTimestamp, mediaTime: Duration) -> RTCPSenderReport {
        RTCPSenderReport(
            ssrc: ssrc, ntpTimestamp: ntp, rtpTimestamp: rtpTimestamp(for: mediaTime), packetCount: packetsSent,
            octetCount: octetsSent)
    }

    /// The RTP timestamp of an instant of the media clock.
    private func rtpTimestamp(for time: Duration) -> UInt32 {
        timestampOffset &+ UInt32(truncatingIfNeeded: MediaTime.ticks(time, clockRate: clockRate))
    }
}
