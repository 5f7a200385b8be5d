import ICEKit
import SDPKit
import SecureTransport

/// Offer/answer (RFC 8829) on top of SDPKit's builders.
extension PeerConnectionCore {
    /// VP8 with the feedback this side acts on: NACK (a sender retransmits,
    /// a receiver asks for small gaps), PLI and FIR.
    func videoFeedback() -> [RTCPFeedback] {
        [.nack, .pli, .fir]
    }

    var sdpCredentials: SDPKit.ICECredentials {
        SDPKit.ICECredentials(ufrag: localCredentials.ufrag, pwd: localCredentials.pwd)
    }

    var sdpFingerprint: Fingerprint {
        Fingerprint(hashFunction: "sha-256", digest: fingerprint.bytes)
    }

    /// Creates an offer with one video section: `sendonly` with a track, else `recvonly`.
    public func createOffer() throws(PeerConnectionError) -> RTCSessionDescription {
        guard signalingState == .stable || signalingState == .haveLocalOffer else {
            throw PeerConnectionError(.invalidState, "createOffer in state \(signalingState.rawValue)")
        }
        let direction: Direction = sendingTrack != nil ? (configuration.receivesVideo ? .sendrecv : .sendonly) : .recvonly
        let media = OfferedMedia(
            kind: .video, mid: "0", direction: direction, codecs: [.vp8(payloadType: 96, feedback: videoFeedback())],
            headerExtensions: [], sendingTrack: sendingTrack)
        do {
            let offer = try JSEP.createOffer(
                OfferOptions(iceCredentials: sdpCredentials, fingerprint: sdpFingerprint, setup: .actpass, media: [media]))
            return RTCSessionDescription(type: .offer, sdp: offer.description)
        } catch {
            throw PeerConnectionError(.invalidDescription, "cannot build an offer: \(error)")
        }
    }

    /// Creates the answer to the remote offer set with `setRemoteDescription`.
    public func createAnswer() throws(PeerConnectionError) -> RTCSessionDescription {
        guard signalingState == .haveRemoteOffer, let offer = remoteDescription else {
            throw PeerConnectionError(.invalidState, "createAnswer needs a remote offer (state \(signalingState.rawValue))")
        }
        let wantsToSend = sendingTrack != nil
        let video = MediaCapabilities(
            codecs: [CodecCapability(name: "VP8", clockRate: 90_000, feedback: videoFeedback())],
            direction: Direction(sends: wantsToSend, receives: configuration.receivesVideo),
            sendingTrack: sendingTrack)
        do {
            let answer = try JSEP.createAnswer(
                to: offer,
                options: AnswerOptions(
                    iceCredentials: sdpCredentials, fingerprint: sdpFingerprint, setup: answerSetup(for: offer), video: video))
            return RTCSessionDescription(type: .answer, sdp: answer.description)
        } catch {
            throw PeerConnectionError(.invalidDescription, "cannot answer the offer: \(error)")
        }
    }

    /// The answerer is the DTLS client unless the offerer insists on being one
    /// (RFC 8842); an offer without `a=setup` means active (RFC 4145).
    private func answerSetup(for offer: SessionDescription) -> SetupRole {
        let offered = offer.mediaSections.first.flatMap { offer.setup(for: $0) } ?? .active
        return offered == .active ? .passive : .active
    }

    /// Applies our own offer or answer. Host candidates are announced after this.
    public func setLocalDescription(_ description: RTCSessionDescription, at now: ContinuousClock.Instant) throws(PeerConnectionError) {
        let parsed: SessionDescription
        do {
            parsed = try SessionDescription(parsing: description.sdp)
        } catch {
            throw PeerConnectionError(.invalidDescription, "local description: \(error)")
        }
        switch (description.type, signalingState) {
        case (.offer, .stable), (.offer, .haveLocalOffer):
            signalingState = .haveLocalOffer
            if ice == nil { ice = makeAgent(role: .controlling) }
        case (.answer, .haveRemoteOffer):
            signalingState = .stable
            let section = parsed.mediaSections.first { $0.kind == .video && !$0.isRejected }
            if let setup = section.flatMap({ parsed.setup(for: $0) }) {
                dtlsRole = setup == .passive ? .server : .client
            }
            try startDTLSIfReady(at: now)
        default:
            throw PeerConnectionError(.invalidState, "cannot set a local \(description.type.rawValue) in state \(signalingState.rawValue)")
        }
        localDescription = parsed
        bundleMid = parsed.bundleGroup?.first ?? parsed.mediaSections.first?.mid
        announceLocalCandidates()
    }

    /// Applies the remote peer's offer or answer.
    public func setRemoteDescription(_ description: RTCSessionDescription, at now: ContinuousClock.Instant) throws(PeerConnectionError) {
        let parsed: SessionDescription
        do {
            parsed = try SessionDescription(parsing: description.sdp)
        } catch {
            throw PeerConnectionError(.invalidDescription, "remote description: \(error)")
        }
        guard let video = parsed.mediaSections.first(where: { $0.kind == .video && !$0.isRejected }) else {
            throw PeerConnectionError(.noCommonCodec, "the remote description has no video section")
        }
        guard let credentials = parsed.iceCredentials(for: video) else {
            throw PeerConnectionError(.invalidDescription, "the video section has no ice-ufrag/ice-pwd")
        }
        guard let sdpFingerprint = parsed.fingerprints(for: video).first,
            let remoteFingerprint = try? DTLSFingerprint(parsing: sdpFingerprint.description)
        else {
            throw PeerConnectionError(.invalidDescription, "the video section has no usable DTLS fingerprint")
        }
        guard let vp8 = video.codec(named: "VP8") else {
            throw PeerConnectionError(.noCommonCodec, "the remote description does not offer VP8")
        }

        switch (description.type, signalingState) {
        case (.offer, .stable) where remoteDescription != nil:
            throw PeerConnectionError(.invalidState, "renegotiation is not supported: create a new connection")
        case (.offer, .stable):
            signalingState = .haveRemoteOffer
            if ice == nil { ice = makeAgent(role: .controlled) }
        case (.answer, .haveLocalOffer):
            signalingState = .stable
            // Our offer said actpass; the answer decides (RFC 8842).
            dtlsRole = parsed.setup(for: video) == .active ? .server : .client
        default:
            throw PeerConnectionError(.invalidState, "cannot set a remote \(description.type.rawValue) in state \(signalingState.rawValue)")
        }
        remoteDescription = parsed
        videoMid = video.mid
        videoSend?.setPayloadType(vp8.payloadType)
        remoteFingerprintValue = remoteFingerprint

        do {
            try ice?.setRemoteCredentials(ufrag: credentials.ufrag, pwd: credentials.pwd)
        } catch {
            throw PeerConnectionError(.invalidDescription, "remote ICE credentials: \(error)")
        }
        for candidate in video.candidates {
            addRemote(candidate)
        }
        if video.hasEndOfCandidates { ice?.endOfRemoteCandidates() }
        let held = pendingRemoteCandidates
        pendingRemoteCandidates = []
        for candidate in held {
            try? addIceCandidate(candidate)
        }
        if dtlsRole != nil { try startDTLSIfReady(at: now) }
        // Let the agent start its checks now that it knows the remote side.
        ice?.handleTimeout(at: now)
        drainICE(at: now)
    }

    /// Adds a trickled remote candidate. Candidates that arrive before the
    /// remote description are held; an empty candidate marks the end; TCP
    /// and unresolvable `.local` candidates are ignored.
    public func addIceCandidate(_ candidate: RTCIceCandidate, at now: ContinuousClock.Instant) throws(PeerConnectionError) {
        try addIceCandidate(candidate)
        if ice?.remoteCredentials != nil {
            ice?.handleTimeout(at: now)
            drainICE(at: now)
        }
    }

    func addIceCandidate(_ candidate: RTCIceCandidate) throws(PeerConnectionError) {
        guard remoteDescription != nil, ice != nil else {
            pendingRemoteCandidates.append(candidate)
            return
        }
        if let ufrag = candidate.usernameFragment, let remote = ice?.remoteCredentials, ufrag != remote.ufrag {
            return  // a candidate of an earlier ICE generation
        }
        if candidate.candidate.isEmpty {
            ice?.endOfRemoteCandidates()
            return
        }
        let parsed: SDPKit.ICECandidate
        do {
            parsed = try SDPKit.ICECandidate(parsing: candidate.candidate)
        } catch {
            throw PeerConnectionError(.invalidCandidate, "\(candidate.candidate): \(error)")
        }
        addRemote(parsed)
    }

    private func addRemote(_ candidate: SDPKit.ICECandidate) {
        guard candidate.transport == .udp, let converted = CandidateConversion.iceCandidate(from: candidate) else {
            logger.debug("ignoring a remote candidate a UDP agent cannot use", metadata: ["candidate": "\(candidate)"])
            return
        }
        ice?.addRemoteCandidate(converted)
    }

    func makeAgent(role: ICERole) -> ICEAgent {
        ICEAgent(role: role, credentials: localCredentials, configuration: configuration.ice, logger: logger)
    }

    func announceLocalCandidates() {
        guard !localCandidatesAnnounced else { return }
        localCandidatesAnnounced = true
        for address in localAddresses { announce(address) }
        emit(.endOfLocalCandidates)
    }

    func announce(_ address: ICETransportAddress) {
        guard var agent = ice else { return }
        defer { ice = agent }
        guard let candidate = try? agent.addLocalHostCandidate(address: address) else { return }
        let sdp = CandidateConversion.sdpCandidate(from: candidate)
        let mid = bundleMid ?? "0"
        let index = localDescription?.mediaSections.firstIndex { $0.mid == mid } ?? 0
        emit(.localCandidate(RTCIceCandidate(
            candidate: sdp.candidateString, sdpMid: mid, sdpMLineIndex: index, usernameFragment: localCredentials.ufrag)))
    }
}
