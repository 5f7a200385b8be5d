import RTPKit
import SecureTransport

/// RTCP: reports on a schedule, and feedback (NACK, PLI, FIR) to and from
/// the streams, found by SSRC.
extension PeerConnectionCore {
    // MARK: In

    func receiveRTCP(_ packet: inout [UInt8], at now: ContinuousClock.Instant) {
        guard let srtp = srtpInbound else { return }
        do {
            try srtp.unprotectRTCP(&packet)
        } catch {
            return
        }
        guard let compound = try? RTCPCompoundPacket(parsing: packet) else { return }
        rtcpPacketsReceived += 1
        for rtcp in compound.packets {
            switch rtcp {
            case .senderReport(let report):
                media.receiveStreams[report.ssrc]?.receive(senderReport: report, at: now)
                noteReportBlocks(report.reportBlocks, at: now)
            case .receiverReport(let report):
                noteReportBlocks(report.reportBlocks, at: now)
            case .pictureLossIndication(let pli):
                guard let stream = media.sendStreams[pli.mediaSSRC] else { continue }
                stream.statistics.pliCount += 1
                keyFrameRequested(stream, at: now)
            case .fullIntraRequest(let fir):
                for entry in fir.entries {
                    guard let stream = media.sendStreams[entry.ssrc] else { continue }
                    // RFC 5104 4.3.1.2: a repeated sequence number is the same request again.
                    if keyFrameRequestState[entry.ssrc]?.firSequence == entry.sequenceNumber { continue }
                    keyFrameRequestState[entry.ssrc, default: (nil, nil)].firSequence = entry.sequenceNumber
                    stream.statistics.firCount += 1
                    keyFrameRequested(stream, at: now)
                }
            case .transportWideFeedback(let feedback):
                transportFeedbackReceived(feedback, at: now)
            case .receiverEstimatedBitrate(let estimate):
                receiverEstimateReceived(estimate)
            case .genericNACK(let nack):
                guard mayTransmitMedia, let stream = media.sendStreams[nack.mediaSSRC] else { continue }
                stream.statistics.nacksReceived += 1
                // Bounded: at most 64 packets per NACK. A packet sent again
                // within 3/4 of a round trip is not sent a third time yet.
                _ = stream.retransmit(nack.lostSequenceNumbers.prefix(64), roundTrip: currentRoundTrip, at: now) {
                    packet, transportSequenceOffset in
                    enqueue(packet, transportSequenceOffset: transportSequenceOffset, priority: .retransmission, at: now)
                }
            default:
                break
            }
        }
        // Retransmissions leave through the pacer, and feedback may have changed its rate.
        releasePacedPackets(at: now)
    }

    /// Tells the driver to make a key frame, unless one was asked for too recently.
    func keyFrameRequested(_ stream: any MediaSendStream, at now: ContinuousClock.Instant) {
        if let last = keyFrameRequestState[stream.ssrc]?.last, now - last < configuration.keyFrameRequestInterval {
            stream.statistics.keyFrameRequestsThrottled += 1
            return
        }
        keyFrameRequestState[stream.ssrc, default: (nil, nil)].last = now
        emit(.keyFrameRequested(mid: stream.mid))
    }

    func noteReportBlocks(_ blocks: [RTCPReportBlock], at now: ContinuousClock.Instant) {
        for block in blocks {
            guard let stream = media.sendStreams[block.ssrc] else { continue }
            stream.statistics.remotePacketsLost = Int(block.cumulativeLost)
            stream.statistics.remoteFractionLost = Double(block.fractionLost) / 256
            stream.statistics.reportsReceived += 1
            bandwidthEstimator.lossReported(
                fractionLost: Double(block.fractionLost) / 256, roundTrip: currentRoundTrip, at: mediaTime(at: now))
            stream.statistics.remoteJitter = .seconds(Double(block.jitter) / Double(stream.kind == .audio ? 48_000 : 90_000))
            if let rtt = block.roundTripTime(receivedAt: ntpTime(at: now)) {
                stream.statistics.roundTripTime = rtt
                if ice?.roundTripTime == nil { roundTripEstimate = rtt }
            }
        }
    }

    // MARK: Out

    func ntpTime(at now: ContinuousClock.Instant) -> NTPTimestamp {
        ntpAnchor.advanced(by: now - (clockAnchor ?? now))
    }

    /// One compound packet (RFC 3550 6.1): a sender report per sending
    /// stream, the first carrying a report block per receiving stream (or a
    /// receiver report when nothing is sent), and one SDES with every CNAME.
    func sendRTCPReports(at now: ContinuousClock.Instant) {
        let ntp = ntpTime(at: now)
        let mediaNow = mediaTime(at: now)
        var blocks = media.transceivers.compactMap { $0.receiveStream?.reportBlock(at: now) }
        if blocks.count > 31 { blocks.removeLast(blocks.count - 31) }
        var packets: [RTCPPacket] = []
        var chunks: [RTCPSourceDescription.Chunk] = []
        for transceiver in media.transceivers {
            guard let stream = transceiver.sendStream, stream.packetsSent > 0 else { continue }
            var report = stream.senderReport(ntp: ntp, mediaTime: mediaNow)
            if packets.isEmpty { report.reportBlocks = blocks }
            packets.append(.senderReport(report))
            chunks.append(.init(ssrc: stream.ssrc, cname: rtcpCNAME))
        }
        if packets.isEmpty {
            guard !blocks.isEmpty else { return }
            packets.append(.receiverReport(RTCPReceiverReport(ssrc: localRTCPSSRC, reportBlocks: blocks)))
            chunks.append(.init(ssrc: localRTCPSSRC, cname: rtcpCNAME))
        }
        // An SDES packet holds at most 31 chunks (its 5-bit count).
        var start = 0
        while start < chunks.count {
            let end = min(start + 31, chunks.count)
            packets.append(.sourceDescription(RTCPSourceDescription(chunks: Array(chunks[start..<end]))))
            start = end
        }
        sendRTCP(packets)
        for transceiver in media.transceivers {
            if let stream = transceiver.receiveStream { sendKeyFrameRequestIfNeeded(stream, at: now) }
        }
    }

    func sendRTCP(_ packets: [RTCPPacket]) {
        guard mayTransmitMedia, let srtp = srtpOutbound, let route = mediaRoute else { return }
        var packets = packets
        switch packets.first {
        case .senderReport?, .receiverReport?:
            break
        default:
            if !reducedSizeRTCP {
                // RFC 3550 6.1: a report first, and the CNAME, around the feedback.
                packets.insert(.receiverReport(RTCPReceiverReport(ssrc: localRTCPSSRC, reportBlocks: [])), at: 0)
                packets.append(.sourceDescription(RTCPSourceDescription(chunks: [.init(ssrc: localRTCPSSRC, cname: rtcpCNAME)])))
            }
        }
        var bytes = RTCPCompoundPacket(packets).serialized()
        bytes.reserveCapacity(bytes.count + SRTPSession.maximumTrailerLength)
        do {
            try srtp.protectRTCP(&bytes)
        } catch {
            logger.warning("SRTCP protect failed", metadata: ["error": "\(error)"])
            return
        }
        rtcpPacketsSent += 1
        transmits.append(Transmit(bytes: bytes, source: route.source, destination: route.destination))
    }
}
