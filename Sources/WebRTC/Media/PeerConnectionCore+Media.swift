import CongestionControl
import RTPKit
import SecureTransport

/// Media in and out: frames to the sending streams, RTP packets to the
/// receiving streams, found by SSRC and mutated where they are kept.
extension PeerConnectionCore {
    // MARK: Out

    /// Sends one encoded frame on a transceiver. Dropped (returns `false`)
    /// until the connection is connected, after it failed or closed, and on a
    /// transceiver not negotiated to send; a caller whose frame was dropped
    /// should make its next frame a key frame (the receiver's decoder never
    /// saw this one).
    ///
    /// - Parameters:
    ///   - transceiverID: what `addTrack` or `addTransceiver` returned.
    ///   - captureTime: when the frame was captured, on the monotonic clock
    ///     that `now` comes from; every track's timestamps follow this one
    ///     clock, which is what lets the receiver line them up.
    ///   - audioLevel: the RFC 6464 level in -dBov (0 loudest, 127 silence) of
    ///     an audio frame, sent when the extension was negotiated.
    @discardableResult
    public func sendFrame(
        _ data: [UInt8], isKeyFrame: Bool, captureTime: ContinuousClock.Instant, audioLevel: UInt8? = nil,
        onTransceiver transceiverID: Int, at now: ContinuousClock.Instant
    ) -> Bool {
        anchor(now)
        // Media keeps flowing while consent checks go unanswered (`disconnected`,
        // RFC 7675 5.1): only a closed or failed connection stops it.
        guard mayTransmitMedia, srtpOutbound != nil, mediaRoute != nil,
            let stream = media.transceiver(id: transceiverID)?.sendStream
        else { return false }
        let priority: Pacer<PacedPacket>.Priority = stream.kind == .audio ? .audio : .video
        _ = stream.send(
            frame: data, captureTime: mediaTime(at: captureTime), audioLevel: audioLevel, at: now, roundTrip: currentRoundTrip
        ) { packet, transportSequenceOffset in
            enqueue(packet, transportSequenceOffset: transportSequenceOffset, priority: priority, at: now)
        }
        if isKeyFrame { stream.statistics.keyFramesSent += 1 }
        releasePacedPackets(at: now)
        return true
    }

    /// Tells lip sync how long received audio waits in its jitter buffer
    /// (without any lip-sync wait), so that video waits for it too.
    public func setAudioPlayoutDelay(_ delay: Duration) {
        lipSync.audioPlayoutDelay = max(delay, .zero)
    }

    /// What the remote receiver's reports say about the stream sent on a
    /// transceiver: how many came, and the fraction lost of the last one.
    public func remoteLossReport(onTransceiver transceiverID: Int) -> RemoteLossReport? {
        guard let statistics = media.transceiver(id: transceiverID)?.sendStream?.statistics,
            let fraction = statistics.remoteFractionLost
        else { return nil }
        return RemoteLossReport(reportsReceived: statistics.reportsReceived, fractionLost: fraction)
    }

    /// The round trip that paces NACKs and retransmissions: ICE's measure on
    /// the selected pair, else what RTCP reports told, else 100 ms. Kept up
    /// to date where those change, so the per-packet path only reads it.
    var currentRoundTrip: Duration { roundTripEstimate }

    /// The media clock: time since the anchor.
    func mediaTime(at instant: ContinuousClock.Instant) -> Duration {
        instant - (clockAnchor ?? instant)
    }

    // MARK: In

    func receiveRTP(_ packet: inout [UInt8], at now: ContinuousClock.Instant) {
        guard let srtp = srtpInbound else { return }
        do {
            try srtp.unprotect(srtp: &packet)
        } catch {
            return  // forged, replayed or damaged: dropped (RFC 3711)
        }
        guard let header = try? RTPHeader(parsing: packet) else { return }
        if transportWideExtensionID != nil { recordTransportSequenceNumber(of: header, in: packet, at: now) }
        let known = media.receiveStreams[header.ssrc]
        if known == nil, let target = rtxTarget(of: header, packet: packet) {
            receiveRTX(packet, header: header, for: target, at: now)
            return
        }
        guard let stream = known ?? bindUnsignalledStream(header, packet: packet) else { return }
        receiveOutput.reset()
        stream.receive(header, bytes: packet, isRetransmission: false, roundTrip: currentRoundTrip, at: now, into: &receiveOutput)
        deliverReceiveOutput(of: stream, at: now)
    }

    /// Gives the receiving streams' jitter buffers and NACK lists their due
    /// time: what waited too long is given up, and what that frees is delivered.
    func advanceReceiveStreams(at now: ContinuousClock.Instant) {
        guard mayTransmitMedia else { return }
        for stream in media.receiveStreams.values {
            guard let due = stream.nextDeadline(roundTrip: currentRoundTrip), due <= now else { continue }
            receiveOutput.reset()
            stream.advance(roundTrip: currentRoundTrip, at: now, into: &receiveOutput)
            deliverReceiveOutput(of: stream, at: now)
        }
    }

    /// The earliest time a receiving stream has something to give up or ask for again.
    var nextReceiveDeadline: ContinuousClock.Instant? {
        guard mayTransmitMedia else { return nil }
        var earliest: ContinuousClock.Instant?
        for stream in media.receiveStreams.values {
            if let due = stream.nextDeadline(roundTrip: currentRoundTrip) { earliest = min(earliest ?? due, due) }
        }
        return earliest
    }

    /// Sends the NACKs, emits the frames and asks for the key frame that
    /// `receiveOutput` holds for one stream.
    func deliverReceiveOutput(of stream: any MediaReceiveStream, at now: ContinuousClock.Instant) {
        if !receiveOutput.missing.isEmpty {
            let nack = RTCPPacket.genericNACK(RTCPGenericNACK(
                senderSSRC: localRTCPSSRC, mediaSSRC: stream.remoteSSRC, lostSequenceNumbers: receiveOutput.missing))
            // A request made again follows a lost request or a lost
            // retransmission: sent twice, it is lost only if both copies are
            // (the sender sends a packet again at most once a round trip).
            for _ in 0..<(receiveOutput.asksAgain ? 2 : 1) {
                stream.statistics.nacksSent += 1
                sendRTCP([nack])
            }
        }
        for var frame in receiveOutput.frames {
            if let capture = frame.captureTime { lipSync.note(frame.kind, capturedAt: capture, arrivedAt: mediaTime(at: now)) }
            frame.syncDelay = lipSync.syncDelay(for: frame.kind)
            frame.arrival = now
            emit(.frameReceived(frame))
        }
        sendKeyFrameRequestIfNeeded(stream, at: now)
    }

    /// A packet of an SSRC the descriptions did not name: it belongs to the
    /// receiving transceiver with its payload type that its `sdes:mid`
    /// extension names, else to the only such transceiver (RFC 8843 9.2).
    func bindUnsignalledStream(_ header: RTPHeader, packet: [UInt8]) -> (any MediaReceiveStream)? {
        // Only transceivers that receive, with this payload type, and whose
        // current stream (if any) is not one the descriptions named: a
        // signalled stream is never taken over by an unsignalled SSRC.
        let receiving = media.transceivers.filter { transceiver in
            guard transceiver.currentDirection?.receives == true, !transceiver.isStopped,
                transceiver.negotiated?.codec.payloadType == header.payloadType
            else { return false }
            guard let current = transceiver.receiveStream?.remoteSSRC else { return true }
            return !transceiver.remoteSSRCs.contains(current)
        }
        var owner: Transceiver?
        for id in Set(receiving.compactMap { $0.negotiated?.midExtensionID }) {
            guard let range = header.extensionElementRange(id: id, in: packet),
                let mid = String(validating: packet[range], as: UTF8.self)
            else { continue }
            owner = receiving.first { $0.mid == mid }
            if owner != nil { break }
        }
        if owner == nil, receiving.count == 1 { owner = receiving[0] }
        guard let owner, startReceiving(on: owner, ssrc: header.ssrc) else { return nil }
        return owner.receiveStream
    }

    /// Makes the receiving stream of a transceiver for a remote SSRC.
    @discardableResult
    func startReceiving(on transceiver: Transceiver, ssrc: UInt32) -> Bool {
        guard let mid = transceiver.mid, let negotiated = transceiver.negotiated,
            let codec = codec(for: negotiated.codec, kind: transceiver.kind)
        else { return false }
        if transceiver.receiveStream?.remoteSSRC == ssrc { return true }
        let stream = codec.makeReceiveStream(ReceiveStreamSetup(
            mid: mid, kind: transceiver.kind, remoteSSRC: ssrc, localSSRC: localRTCPSSRC,
            clockRate: negotiated.codec.clockRate, audioLevelExtensionID: negotiated.audioLevelExtensionID,
            sendsNACK: transceiver.kind == .video && negotiated.nack, sendsPLI: transceiver.kind == .video && negotiated.pli,
            sendsFIR: transceiver.kind == .video && negotiated.fir,
            pictureLossIndicationInterval: configuration.pictureLossIndicationInterval))
        media.setReceiveStream(stream, of: transceiver)
        logger.debug("receiving", metadata: ["mid": "\(mid)", "ssrc": "\(ssrc)", "codec": "\(negotiated.codec)"])
        return true
    }

    /// Our codec entry for a negotiated codec.
    func codec(for negotiated: NegotiatedCodec, kind: TrackKind) -> MediaCodec? {
        configuration.codecs.first {
            $0.kind == kind && $0.matches(name: negotiated.name, clockRate: UInt32(negotiated.clockRate), channels: negotiated.channels)
        }
    }

    /// Asks the remote sender of a transceiver for a key frame (after a decoder error, say).
    public func requestKeyFrame(mid: String, at now: ContinuousClock.Instant) {
        guard let stream = media.transceiver(mid: mid)?.receiveStream else { return }
        stream.requestKeyFrame()
        sendKeyFrameRequestIfNeeded(stream, at: now)
    }

    func sendKeyFrameRequestIfNeeded(_ stream: any MediaReceiveStream, at now: ContinuousClock.Instant) {
        guard let request = stream.keyFrameRequest(at: now) else { return }
        sendRTCP([request])
    }

    // MARK: Statistics

    /// Counters of the whole connection and of each stream, as `getStats()` gives them.
    public var statistics: PeerConnectionStatistics {
        var statistics = PeerConnectionStatistics()
        statistics.outbound = media.transceivers.compactMap { $0.sendStream?.statistics }
        statistics.inbound = media.transceivers.compactMap { $0.receiveStream?.statistics }
        statistics.rtcpPacketsSent = rtcpPacketsSent
        statistics.rtcpPacketsReceived = rtcpPacketsReceived
        statistics.audioVideoOffset = lipSync.offset
        statistics.currentRoundTripTime = ice?.roundTripTime
        statistics.bandwidth = bandwidthEstimate
        statistics.srtpProfile = srtpOutbound?.profile
        statistics.srtpBackend = srtpOutbound?.backend
        return statistics
    }
}
