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
        if let relay = relayIndex(server: source, local: local), handleRelayDatagram(&datagram, relay: relay, at: now) {
            return
        }
        switch PacketClass(firstByte: first) {
        case .stun:
            switch isForNextICE(datagram) {
            case true?: nextICE?.handle(datagram: datagram, from: source, to: local, at: now)
            case false?: ice?.handle(datagram: datagram, from: source, to: local, at: now)
            case nil:
                // No restart, or a response: each agent knows its own transactions.
                nextICE?.handle(datagram: datagram, from: source, to: local, at: now)
                ice?.handle(datagram: datagram, from: source, to: local, at: now)
            }
            drainICE(at: now)
        case .dtls:
            // DTLS only from the peer ICE knows: a validated pair, or a remote
            // candidate (signalled, or learned from an authenticated check; a
            // ClientHello may beat our own check of that pair).
            guard let dtls, let agent = ice,
                agent.isValidated(remote: source, local: local) || dtlsRemote == source
                    || agent.remoteCandidates.contains(where: { $0.transportAddress == source })
                    || nextICE?.isValidated(remote: source, local: local) == true
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
        nextICE?.handleTimeout(at: now)
        drainICE(at: now)
        if !relays.isEmpty { handleRelayTimeouts(at: now) }
        if let dtls, let deadline = dtls.nextTimeout(), deadline <= now {
            dtls.handleTimeout(at: now)
            drainDTLS(at: now)
        }
        if let due = nextRTCP, due <= now {
            sendRTCPReports(at: now)
            nextRTCP = now + configuration.rtcpInterval
        }
        sendTransportFeedbackIfDue(at: now)
        advanceReceiveStreams(at: now)
        releasePacedPackets(at: now)
    }

    func anchor(_ now: ContinuousClock.Instant) {
        if clockAnchor == nil { clockAnchor = now }
        lastInput = now
    }

    /// Whether RTP and RTCP may be sent: the call is up, or waiting for
    /// consent to come back (`disconnected`); never after `failed` or `closed`.
    var mayTransmitMedia: Bool { (connectionState == .connected || connectionState == .disconnected) && !consentLost }

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
        let restarting = nextICE != nil
        while let event = agent.pollEvent() {
            switch event {
            case .connectionStateChanged(let state):
                // During a restart the old path may die: media stops (its
                // consent is gone, RFC 7675), but the new generation decides
                // whether the call has failed.
                if restarting, state == .failed || state == .closed {
                    logger.debug("the old ICE generation ended during a restart", metadata: ["state": "\(state.rawValue)"])
                    if state == .failed { stopMediaForLostConsent() }
                    continue
                }
                iceConnectionState = state
                emit(.iceConnectionStateChanged(state))
                switch state {
                case .checking: setConnectionState(.connecting)
                case .failed:
                    stopMediaForLostConsent()
                    setConnectionState(.failed)
                case .disconnected: if connectionState == .connected { setConnectionState(.disconnected) }
                case .connected, .completed: if connectionState == .disconnected { setConnectionState(.connected) }
                default: break
                }
            case .selectedPairChanged:
                selectedNow = true
            case .localCandidateGathered(let candidate):
                if !restarting { emitLocalCandidate(candidate) }
            case .gatheringComplete:
                if !restarting { finishGatheringIfDone() }
            }
        }
        ice = agent
        if let measured = agent.roundTripTime { roundTripEstimate = measured }
        if selectedNow, let pair = agent.selectedPair {
            logger.debug("selected pair", metadata: ["pair": "\(pair)"])
            dtlsRemote = pair.remoteAddress
            if let dtls, dtls.state == .new, dtlsRole == .client {
                dtls.start(at: now)
                drainDTLS(at: now)
            }
        }
        if restarting { drainNextICE(at: now) }
    }

    /// The restarting agent's output: its checks go out, its candidates are
    /// trickled, and its first selected pair ends the restart.
    private func drainNextICE(at now: ContinuousClock.Instant) {
        guard var next = nextICE else { return }
        while let transmit = next.pollTransmit() {
            transmits.append(Transmit(bytes: transmit.bytes, source: transmit.source, destination: transmit.destination))
        }
        var selected = false
        var failed = false
        while let event = next.pollEvent() {
            switch event {
            case .selectedPairChanged: selected = true
            case .connectionStateChanged(.failed): failed = true
            case .connectionStateChanged: break
            case .localCandidateGathered(let candidate): emitLocalCandidate(candidate)
            case .gatheringComplete: finishGatheringIfDone()
            }
        }
        nextICE = next
        if selected {
            promoteNextICE(at: now)
        } else if failed {
            logger.warning("the ICE restart failed")
            nextICE = nil
            if ice?.connectionState == .failed {
                emit(.iceConnectionStateChanged(.failed))
                setConnectionState(.failed)
            }
        }
    }

    /// Consent lost on a call that was up (RFC 7675 5.1): every RTP and
    /// RTCP packet stops at once, and the app hears of it once.
    func stopMediaForLostConsent() {
        guard !consentLost else { return }
        consentLost = true
        nextRTCP = nil
        if connectionState == .connected || connectionState == .disconnected { emit(.consentExpired) }
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
                    let backend = configuration.srtpBackend
                    srtpOutbound = try SRTPSession(keyingMaterial: keys, direction: .outbound, backend: backend)
                    srtpInbound = try SRTPSession(keyingMaterial: keys, direction: .inbound, backend: backend)
                } catch {
                    logger.error("SRTP setup failed", metadata: ["error": "\(error)"])
                    setConnectionState(.failed)
                    return
                }
                logger.debug(
                    "DTLS connected", metadata: ["profile": "\(keys.profile)", "srtp": "\(configuration.srtpBackend)"])
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
}
