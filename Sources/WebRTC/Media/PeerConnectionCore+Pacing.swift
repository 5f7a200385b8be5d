import CongestionControl
import RTPKit
import SecureTransport

/// One RTP packet waiting in the pacer: unprotected, so that it can be
/// numbered with the transport-wide sequence number when it leaves.
struct PacedPacket {
    var bytes: [UInt8]
    /// Where the transport-wide sequence number goes, when negotiated.
    var transportSequenceOffset: Int?
    /// Which queue it waits in, for the statistics of what left.
    var priority: Pacer<PacedPacket>.Priority
}

/// Pacing: every RTP packet (media, retransmission, probe padding) goes
/// through the ``Pacer``, which lets it leave in small bursts at a multiple
/// of the bandwidth estimate. A packet is numbered, protected and noted for
/// the estimator only as it leaves, so the transport-wide sequence numbers
/// follow the order packets hit the wire.
extension PeerConnectionCore {
    /// Hands a packet to the pacer; a full queue drops it (the receiver's NACK brings it back).
    func enqueue(
        _ packet: consuming [UInt8], transportSequenceOffset: Int?, priority: Pacer<PacedPacket>.Priority, at now: ContinuousClock.Instant
    ) {
        let size = packet.count + SRTPSession.maximumTrailerLength + 28
        let paced = PacedPacket(bytes: packet, transportSequenceOffset: transportSequenceOffset, priority: priority)
        if !pacer.enqueue(paced, size: size, priority: priority, at: mediaTime(at: now)) {
            logger.debug("pacer queue full: dropping a packet", metadata: ["priority": "\(priority)"])
        }
    }

    /// Sends what the pacer lets go now, starting a probe cluster first if the estimator wants one.
    func releasePacedPackets(at now: ContinuousClock.Instant) {
        guard mayTransmitMedia, let srtp = srtpOutbound, let route = mediaRoute else { return }
        let time = mediaTime(at: now)
        // Without transport-wide feedback or REMB there is no estimate to
        // follow: the pacer only smooths bursts, at the configured maximum.
        pacer.setTargetBitrate(hasBandwidthEstimate ? bandwidthEstimator.targetBitrate : configuration.bandwidth.maximumBitrate)
        // A cluster is asked for only once there is media to probe with: at
        // the start the connection is up before the first frame, and a probe
        // taken then would have nothing to send and be given up.
        if transportWideExtensionID != nil, !pacer.isProbing, paddingStream != nil,
            let cluster = bandwidthEstimator.nextProbe(at: time)
        {
            pacer.startProbe(cluster, at: time)
        }
        guard let wake = pacer.nextWake, wake <= time else { return }
        while let release = pacer.next(at: time) {
            var paced: PacedPacket
            var cluster: Int?
            switch release {
            case .packet(let packet, let probeCluster):
                paced = packet
                cluster = probeCluster
            case .padding(let size, let probeCluster):
                guard let padding = paddingStream?.paddingPacket(size: size) else {
                    pacer.cancelProbe()
                    continue
                }
                paced = PacedPacket(
                    bytes: padding.bytes, transportSequenceOffset: padding.transportSequenceOffset, priority: .retransmission)
                cluster = probeCluster
            }
            var transportSequence: UInt16?
            if let offset = paced.transportSequenceOffset, offset + 2 <= paced.bytes.count {
                paced.bytes[offset] = UInt8(truncatingIfNeeded: transportSequenceNumber >> 8)
                paced.bytes[offset + 1] = UInt8(truncatingIfNeeded: transportSequenceNumber)
                transportSequence = transportSequenceNumber
                transportSequenceNumber &+= 1
            }
            do {
                try srtp.protect(rtp: &paced.bytes)
            } catch {
                logger.warning("dropping a packet SRTP could not protect", metadata: ["error": "\(error)"])
                continue
            }
            // What the path carries: the datagram and its IP and UDP headers.
            let size = paced.bytes.count + (route.destination.family == .ipv6 ? 48 : 28)
            sentBitrate.add(size, at: time)
            switch paced.priority {
            case .audio: sentAudioBitrate.add(size, at: time)
            case .retransmission: sentRepairBitrate.add(size, at: time)
            case .video: break
            }
            noteSent(transportSequenceNumber: transportSequence, size: size, probeCluster: cluster, at: time)
            transmits.append(Transmit(bytes: paced.bytes, source: route.source, destination: route.destination))
        }
    }

    /// When the pacer next has a packet to let go, while packets wait.
    var nextPacerWake: ContinuousClock.Instant? {
        guard mayTransmitMedia, let wake = pacer.nextWake, let clockAnchor else { return nil }
        return clockAnchor + wake
    }

    /// The stream whose RTX stream carries probe padding: the first video
    /// stream that has sent media (padding before any media would probe
    /// nothing the receiver can attribute); without RTX it makes none.
    private var paddingStream: (any MediaSendStream)? {
        media.transceivers.lazy.compactMap(\.sendStream).first { $0.kind == .video && $0.packetsSent > 0 }
    }
}
