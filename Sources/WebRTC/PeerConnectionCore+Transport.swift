public import ICEKit
import RTPKit
import SecureTransport

/// Datagrams in, datagrams out: the demultiplexer (RFC 7983) and the wiring
/// of ICE, DTLS and SRTP.
extension PeerConnectionCore {
    /// Feeds one datagram that arrived on the socket.
    ///
    /// The datagram is consumed: SRTP decrypts it in place.
    public func handle(datagram: consuming [UInt8], from source: ICETransportAddress, to local: ICETransportAddress, at now: ContinuousClock.Instant) {
        guard connectionState != .closed, let first = datagram.first else { return }
        anchor(now)
        switch PacketClass(firstByte: first) {
        case .stun:
            ice?.handle(datagram: datagram, from: source, to: local, at: now)
            drainICE(at: now)
        case .dtls:
            // DTLS only from the peer ICE knows: a validated pair, or a remote
            // candidate (signalled, or learned from an authenticated check; a
            // ClientHello may beat our own check of that pair).
            guard let dtls, let agent = ice,
                agent.isValidated(remote: source, local: local) || dtlsRemote == source
                    || agent.remoteCandidates.contains(where: { $0.transportAddress == source })
            else { return }
            dtlsRemote = dtlsRemote ?? source
            dtls.handle(datagram: datagram, at: now)
            drainDTLS(at: now)
        case .rtpOrRTCP:
            guard datagram.count >= 2 else { return }
            if PacketClass.isRTCP(secondByte: datagram[1]) {
                receiveRTCP(&datagram, at: now)
            } else {
                receiveRTP(&datagram, at: now)
            }
        case .other:
            return
        }
    }

    /// Lets timers run: ICE checks and consent, DTLS retransmission, RTCP reports.
    public func handleTimeout(at now: ContinuousClock.Instant) {
        guard connectionState != .closed else { return }
        anchor(now)
        ice?.handleTimeout(at: now)
        drainICE(at: now)
        if let dtls, let deadline = dtls.nextTimeout(), deadline <= now {
            dtls.handleTimeout(at: now)
            drainDTLS(at: now)
        }
        if let due = nextRTCP, due <= now {
            sendRTCPReports(at: now)
            nextRTCP = now + configuration.rtcpInterval
        }
    }

    func anchor(_ now: ContinuousClock.Instant) {
        if clockAnchor == nil { clockAnchor = now }
    }

    /// The remote address media goes to: the selected pair's, else where DTLS came from.
    var mediaRoute: (source: ICETransportAddress, destination: ICETransportAddress)? {
        if let pair = ice?.selectedPair { return (pair.localBase, pair.remoteAddress) }
        if let remote = dtlsRemote, let local = localAddresses.first { return (local, remote) }
        return nil
    }

    // MARK: ICE

    func drainICE(at now: ContinuousClock.Instant) {
        guard var agent = ice else { return }
        var selectedNow = false
        while let transmit = agent.pollTransmit() {
            transmits.append(Transmit(bytes: transmit.bytes, source: transmit.source, destination: transmit.destination))
        }
        while let event = agent.pollEvent() {
            switch event {
            case .connectionStateChanged(let state):
                iceConnectionState = state
                emit(.iceConnectionStateChanged(state))
                switch state {
                case .checking: setConnectionState(.connecting)
                case .failed: setConnectionState(.failed)
                case .disconnected: if connectionState == .connected { setConnectionState(.disconnected) }
                case .connected, .completed: if connectionState == .disconnected { setConnectionState(.connected) }
                default: break
                }
            case .selectedPairChanged:
                selectedNow = true
            }
        }
        ice = agent
        if selectedNow, let pair = agent.selectedPair {
            logger.debug("selected pair", metadata: ["pair": "\(pair)"])
            dtlsRemote = pair.remoteAddress
            if let dtls, dtls.state == .new, dtlsRole == .client {
                dtls.start(at: now)
                drainDTLS(at: now)
            }
        }
    }

    // MARK: DTLS

    func startDTLSIfReady(at now: ContinuousClock.Instant) throws(PeerConnectionError) {
        guard dtls == nil, let role = dtlsRole, let remoteFingerprint = remoteFingerprintValue else { return }
        do {
            dtls = try DTLSEndpoint(
                role: role, certificate: configuration.certificate, remoteFingerprint: remoteFingerprint, logger: logger)
        } catch {
            throw PeerConnectionError(.dtlsFailed, "cannot create the DTLS endpoint: \(error)")
        }
        if role == .client, ice?.selectedPair != nil {
            dtls?.start(at: now)
            drainDTLS(at: now)
        }
    }

    func drainDTLS(at now: ContinuousClock.Instant) {
        guard let dtls else { return }
        while let datagram = dtls.pollTransmit() {
            guard let route = mediaRoute else { continue }
            transmits.append(Transmit(bytes: datagram, source: route.source, destination: route.destination))
        }
        while let event = dtls.pollEvent() {
            switch event {
            case .connected(let keys):
                do {
                    srtpOutbound = try SRTPSession(keyingMaterial: keys, direction: .outbound)
                    srtpInbound = try SRTPSession(keyingMaterial: keys, direction: .inbound)
                } catch {
                    logger.error("SRTP setup failed", metadata: ["error": "\(error)"])
                    setConnectionState(.failed)
                    return
                }
                logger.debug("DTLS connected", metadata: ["profile": "\(keys.profile)"])
                nextRTCP = now + .milliseconds(100)
                setConnectionState(.connected)
            case .failed(let error):
                logger.warning("DTLS failed", metadata: ["error": "\(error)"])
                srtpOutbound = nil
                srtpInbound = nil
                setConnectionState(.failed)
            case .closed:
                tearDownTransport()  // the peer hung up (close_notify)
            case .applicationData:
                break  // no data channels yet
            }
        }
    }

    // MARK: Media out

    /// Sends one encoded VP8 frame on the video track. Dropped (returns
    /// `false`) until the connection is connected.
    @discardableResult
    public func sendVideoFrame(_ data: [UInt8], isKeyFrame: Bool, timestamp: Duration, at now: ContinuousClock.Instant) -> Bool {
        guard connectionState == .connected, let srtp = srtpOutbound, let route = mediaRoute, var stream = videoSend else {
            return false
        }
        do {
            let sent = try stream.send(frame: data, timestamp: timestamp, at: now, srtp: srtp) { packet in
                transmits.append(Transmit(bytes: packet, source: route.source, destination: route.destination))
            }
            statistics.packetsSent += sent.packets
            statistics.bytesSent += sent.bytes
            statistics.framesSent += 1
            if isKeyFrame { statistics.keyFramesSent += 1 }
        } catch {
            logger.warning("dropping a frame SRTP could not protect", metadata: ["error": "\(error)"])
        }
        videoSend = stream
        return true
    }

    // MARK: Media in

    func receiveRTP(_ packet: inout [UInt8], at now: ContinuousClock.Instant) {
        guard let srtp = srtpInbound, var stream = videoReceive else { return }
        do {
            try srtp.unprotect(srtp: &packet)
        } catch {
            return  // forged, replayed or damaged: dropped (RFC 3711)
        }
        guard let rtp = try? RTPHeader(parsing: packet) else { return }
        statistics.packetsReceived += 1
        statistics.bytesReceived += packet.count
        var frames: [RTPFrame] = []
        var dropped = 0
        var missing: [UInt16] = []
        stream.receive(rtp, bytes: packet, at: now, frames: &frames, dropped: &dropped, missing: &missing)
        if let nack = stream.negativeAcknowledgement(for: missing) {
            statistics.nacksSent += 1
            sendRTCP([nack])
        }
        statistics.framesDropped += dropped
        statistics.packetsLost = stream.packetsLost
        for frame in frames {
            statistics.framesReceived += 1
            let ticks = timestampUnwrapper.unwrap(frame.timestamp)
            let first = firstReceivedTimestamp ?? ticks
            firstReceivedTimestamp = first
            // Clamped (to about 139 days) so a hostile timestamp cannot overflow.
            let elapsed = min(max(ticks &- first, -(1 << 40)), 1 << 40)
            emit(.videoFrameReceived(ReceivedVideoFrame(
                data: frame.data, isKeyFrame: frame.isKeyFrame, rtpTimestamp: frame.timestamp,
                timestamp: .nanoseconds(elapsed * 100_000 / 9))))
        }
        videoReceive = stream
        sendKeyFrameRequestIfNeeded(at: now)
    }

    /// Asks the remote sender for a key frame (after a decoder error, say).
    public func requestKeyFrame(at now: ContinuousClock.Instant) {
        videoReceive?.requestKeyFrame()
        sendKeyFrameRequestIfNeeded(at: now)
    }

    func sendKeyFrameRequestIfNeeded(at now: ContinuousClock.Instant) {
        guard var stream = videoReceive, let pli = stream.pictureLossIndication(at: now) else { return }
        videoReceive = stream
        statistics.keyFrameRequestsSent += 1
        sendRTCP([pli])
    }

    func receiveRTCP(_ packet: inout [UInt8], at now: ContinuousClock.Instant) {
        guard let srtp = srtpInbound else { return }
        do {
            try srtp.unprotectRTCP(&packet)
        } catch {
            return
        }
        guard let compound = try? RTCPCompoundPacket(parsing: packet) else { return }
        statistics.rtcpPacketsReceived += 1
        for rtcp in compound.packets {
            switch rtcp {
            case .senderReport(let report):
                videoReceive?.receive(senderReport: report, at: now)
                noteReportBlocks(report.reportBlocks, at: now)
            case .receiverReport(let report):
                noteReportBlocks(report.reportBlocks, at: now)
            case .pictureLossIndication(let pli) where pli.mediaSSRC == videoSend?.ssrc:
                statistics.keyFrameRequestsReceived += 1
                emit(.keyFrameRequested)
            case .fullIntraRequest(let fir) where fir.entries.contains(where: { $0.ssrc == videoSend?.ssrc }):
                statistics.keyFrameRequestsReceived += 1
                emit(.keyFrameRequested)
            case .genericNACK(let nack) where nack.mediaSSRC == videoSend?.ssrc:
                // De-duplicated, and bounded: one NACK cannot ask for more than the history holds.
                retransmit(Array(nack.lostSequenceNumbers.prefix(64)))
            default:
                break
            }
        }
    }

    func retransmit(_ sequenceNumbers: [UInt16]) {
        guard let srtp = srtpOutbound, let route = mediaRoute, var stream = videoSend else { return }
        statistics.nacksReceived += 1
        statistics.packetsRetransmitted += stream.retransmit(sequenceNumbers, srtp: srtp) { packet in
            transmits.append(Transmit(bytes: packet, source: route.source, destination: route.destination))
        }
        videoSend = stream
    }

    func noteReportBlocks(_ blocks: [RTCPReportBlock], at now: ContinuousClock.Instant) {
        guard let ssrc = videoSend?.ssrc, let block = blocks.first(where: { $0.ssrc == ssrc }) else { return }
        statistics.remotePacketsLost = Int(block.cumulativeLost)
        if let rtt = block.roundTripTime(receivedAt: ntpTime(at: now)) {
            statistics.roundTripTime = rtt
        }
    }

    // MARK: RTCP out

    func ntpTime(at now: ContinuousClock.Instant) -> NTPTimestamp {
        ntpAnchor.advanced(by: now - (clockAnchor ?? now))
    }

    func sendRTCPReports(at now: ContinuousClock.Instant) {
        var packets: [RTCPPacket] = []
        if let stream = videoSend, stream.packetsSent > 0 {
            packets += stream.senderReport(ntp: ntpTime(at: now), at: now)
        }
        if var stream = videoReceive, stream.remoteSSRC != nil {
            packets += stream.receiverReport(at: now)
            videoReceive = stream
        }
        guard !packets.isEmpty else { return }
        sendRTCP(packets)
        sendKeyFrameRequestIfNeeded(at: now)
    }

    func sendRTCP(_ packets: [RTCPPacket]) {
        guard let srtp = srtpOutbound, let route = mediaRoute else { return }
        var bytes = RTCPCompoundPacket(packets).serialized()
        bytes.reserveCapacity(bytes.count + SRTPSession.maximumTrailerLength)
        do {
            try srtp.protectRTCP(&bytes)
        } catch {
            logger.warning("SRTCP protect failed", metadata: ["error": "\(error)"])
            return
        }
        statistics.rtcpPacketsSent += 1
        transmits.append(Transmit(bytes: bytes, source: route.source, destination: route.destination))
    }
}
