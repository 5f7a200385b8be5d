public import ICEKit
import SDPKit
import SecureTransport
public import WebRTCTypes

/// Offer/answer (RFC 8829): descriptions in and out, and what they set in
/// the media table (mids, codecs, payload types, extension ids, SSRCs,
/// directions). A remote description is checked whole before anything is
/// changed, so one that cannot be applied leaves the call as it was.
extension PeerConnectionCore {
    var sdpCredentials: SDPKit.ICECredentials {
        SDPKit.ICECredentials(ufrag: localCredentials.ufrag, pwd: localCredentials.pwd)
    }

    var sdpFingerprint: Fingerprint {
        Fingerprint(hashFunction: "sha-256", digest: fingerprint.bytes)
    }

    // MARK: Creating descriptions

    /// Creates an offer with one m-section per transceiver, in m-line order
    /// (existing sections keep their place and mid; new ones get the next free mid).
    ///
    /// With `iceRestart`, the offer carries new ICE credentials: once it is
    /// set and answered, ICE restarts (RFC 8445 9) while media goes on over
    /// the current pair until the new generation selects one.
    public func createOffer(iceRestart: Bool = false) throws(PeerConnectionError) -> RTCSessionDescription {
        guard signalingState == .stable || signalingState == .haveLocalOffer else {
            throw PeerConnectionError(.invalidState, "createOffer in state \(signalingState.rawValue)")
        }
        media.sortByMLine()
        var usedMids = Set(media.transceivers.compactMap(\.mid))
        pendingOfferMids = [:]
        var sections: [OfferedMedia] = []
        // Every m-line of the session keeps its place and mid (RFC 8829
        // 5.2.2): a rejected one, or one no transceiver has (a data channel
        // we refused), is written with port 0.
        for existing in localDescription?.mediaSections ?? [] {
            guard let mid = existing.mid else { continue }
            usedMids.insert(mid)
            if let transceiver = media.transceiver(mid: mid), !transceiver.isStopped {
                sections.append(offeredSection(for: transceiver, mid: mid))
            } else {
                sections.append(.rejected(kind: existing.kind, mid: mid))
            }
        }
        for transceiver in media.transceivers where transceiver.mid == nil && !transceiver.isStopped {
            let mid = Self.nextFreeMid(&usedMids)
            pendingOfferMids[mid] = transceiver.id
            sections.append(offeredSection(for: transceiver, mid: mid))
        }
        guard sections.contains(where: { !$0.isRejected }) else {
            throw PeerConnectionError(.invalidState, "nothing to offer: add a track or a transceiver first")
        }
        sessionVersion += 1
        do {
            var credentials = sdpCredentials
            if iceRestart, ice != nil {
                let fresh = offeredRestartCredentials ?? ICEKit.ICECredentials.random()
                offeredRestartCredentials = fresh
                credentials = SDPKit.ICECredentials(ufrag: fresh.ufrag, pwd: fresh.pwd)
            }
            let offer = try JSEP.createOffer(OfferOptions(
                iceCredentials: credentials, fingerprint: sdpFingerprint, setup: .actpass, media: sections,
                sessionID: sessionID, sessionVersion: sessionVersion))
            return RTCSessionDescription(type: .offer, sdp: offer.description)
        } catch {
            throw PeerConnectionError(.invalidDescription, "cannot build an offer: \(error)")
        }
    }

    /// Creates the answer to the remote offer: each m-section is answered
    /// by its transceiver, with the codec and direction negotiated; the rest
    /// (data channels, codecs we lack) are rejected.
    public func createAnswer() throws(PeerConnectionError) -> RTCSessionDescription {
        guard signalingState == .haveRemoteOffer, let offer = remoteDescription else {
            throw PeerConnectionError(.invalidState, "createAnswer needs a remote offer (state \(signalingState.rawValue))")
        }
        sessionVersion += 1
        var options = AnswerOptions(
            iceCredentials: sdpCredentials, fingerprint: sdpFingerprint, setup: answerSetup(for: offer),
            sessionID: sessionID, sessionVersion: sessionVersion)
        for transceiver in media.transceivers {
            guard let mid = transceiver.mid, let negotiated = transceiver.negotiated, !transceiver.isStopped else { continue }
            options.capabilitiesByMid[mid] = MediaCapabilities(
                codecs: [CodecCapability(
                    name: negotiated.codec.name, clockRate: UInt32(negotiated.codec.clockRate),
                    feedback: Self.supportedFeedback(transceiver.kind))] + (transceiver.kind == .video ? [.rtx()] : []),
                direction: Direction(transceiver.direction),
                headerExtensionURIs: Self.supportedExtensions(transceiver.kind),
                sendingTrack: transceiver.sender.map(sendingTrack))
        }
        do {
            let answer = try JSEP.createAnswer(to: offer, options: options)
            return RTCSessionDescription(type: .answer, sdp: answer.description)
        } catch {
            throw PeerConnectionError(.invalidDescription, "cannot answer the offer: \(error)")
        }
    }

    private func offeredSection(for transceiver: Transceiver, mid: String) -> OfferedMedia {
        OfferedMedia(
            kind: transceiver.kind == .audio ? .audio : .video, mid: mid, direction: Direction(transceiver.direction),
            codecs: offeredCodecs(for: transceiver), headerExtensions: offeredExtensions(for: transceiver),
            sendingTrack: transceiver.sender.map(sendingTrack))
    }

    /// The answerer is the DTLS client unless the offerer insists on being one
    /// (RFC 8842); an offer without `a=setup` means active (RFC 4145). Once
    /// DTLS runs, answers to new offers keep the role.
    private func answerSetup(for offer: SDPKit.SessionDescription) -> SetupRole {
        if let dtlsRole { return dtlsRole == .client ? .active : .passive }
        let section = offer.mediaSections.first { !$0.isRejected } ?? offer.mediaSections.first
        let offered = section.flatMap { offer.setup(for: $0) } ?? .active
        return offered == .active ? .passive : .active
    }

    static func nextFreeMid(_ used: inout Set<String>) -> String {
        var number = 0
        while used.contains(String(number)) { number += 1 }
        used.insert(String(number))
        return String(number)
    }

    /// The feedback this side acts on: transport-wide congestion control
    /// for both kinds, and REMB (as a fallback), NACK and PLI/FIR for video.
    static func supportedFeedback(_ kind: TrackKind) -> [RTCPFeedback] {
        kind == .video ? [.remb, .transportCC, .nack, .pli, .fir] : [.transportCC]
    }

    /// The header extensions this side reads and writes.
    static func supportedExtensions(_ kind: TrackKind) -> [String] {
        let common = [SDPKit.RTPHeaderExtension.midURI, SDPKit.RTPHeaderExtension.transportWideCCURI]
        return kind == .audio ? common + [SDPKit.RTPHeaderExtension.audioLevelURI] : common
    }

    private func offeredCodecs(for transceiver: Transceiver) -> [RTPCodec] {
        if let negotiated = transceiver.negotiated {
            let codec = RTPCodec(
                payloadType: negotiated.codec.payloadType, name: negotiated.codec.name,
                clockRate: UInt32(negotiated.codec.clockRate), channels: negotiated.codec.channels,
                formatParameters: negotiated.codec.formatParameters, feedback: Self.supportedFeedback(transceiver.kind))
            guard let rtx = negotiated.rtxPayloadType else { return [codec] }
            return [codec, Self.rtxCodec(payloadType: rtx, for: codec)]
        }
        let codecs = configuration.codecs.filter { $0.kind == transceiver.kind }.map { codec in
            RTPCodec(
                payloadType: codec.preferredPayloadType, name: codec.name, clockRate: UInt32(codec.clockRate),
                channels: codec.channels, formatParameters: codec.formatParameters,
                feedback: Self.supportedFeedback(codec.kind))
        }
        guard transceiver.kind == .video else { return codecs }
        // Each video codec with its RTX (RFC 4588), on the next free dynamic payload types.
        var used = Set(configuration.codecs.map(\.preferredPayloadType))
        var rtx: [RTPCodec] = []
        for codec in codecs {
            guard let free = (96...127).lazy.map(UInt8.init).first(where: { !used.contains($0) }) else { break }
            used.insert(free)
            rtx.append(Self.rtxCodec(payloadType: free, for: codec))
        }
        return codecs + rtx
    }

    /// The `rtx` entry that retransmits `codec` (`apt=` its payload type).
    static func rtxCodec(payloadType: UInt8, for codec: RTPCodec) -> RTPCodec {
        RTPCodec(payloadType: payloadType, name: "rtx", clockRate: codec.clockRate, formatParameters: "apt=\(codec.payloadType)")
    }

    /// The extension ids: the negotiated ones, else the ones already used in
    /// this session for the same URI, else 1 for the mid, 2 for the audio
    /// level and 3 for the transport-wide sequence number; a default that
    /// another extension already took moves to the lowest free id.
    private func offeredExtensions(for transceiver: Transceiver) -> [SDPKit.RTPHeaderExtension] {
        var used = Set<UInt8>()
        func pick(_ uri: String, _ value: KeyPath<Transceiver.Negotiated, UInt8?>, default preferred: UInt8) -> SDPKit.RTPHeaderExtension {
            var id = transceiver.negotiated?[keyPath: value]
                ?? media.transceivers.lazy.compactMap { $0.negotiated?[keyPath: value] }.first ?? preferred
            if used.contains(id) { id = (1...14).first { !used.contains($0) } ?? id }
            used.insert(id)
            return SDPKit.RTPHeaderExtension(id: UInt16(id), uri: uri)
        }
        var extensions = [pick(SDPKit.RTPHeaderExtension.midURI, \.midExtensionID, default: 1)]
        if transceiver.kind == .audio {
            extensions.append(pick(SDPKit.RTPHeaderExtension.audioLevelURI, \.audioLevelExtensionID, default: 2))
        }
        extensions.append(pick(SDPKit.RTPHeaderExtension.transportWideCCURI, \.transportSequenceExtensionID, default: 3))
        return extensions
    }

    private func sendingTrack(_ identity: LocalTrackIdentity) -> SendingTrack {
        SendingTrack(
            streamID: identity.streamID, trackID: identity.trackID, ssrc: identity.ssrc, cname: rtcpCNAME, rtxSSRC: identity.rtxSSRC)
    }

    // MARK: Applying descriptions

    /// Whether a remote description was ever applied.
    public var hasRemoteDescription: Bool { remoteDescription != nil }

    /// This side's ICE role, once the agent exists (after the first description).
    public var iceRole: ICERole? { ice?.role }

    static func parse(_ description: RTCSessionDescription, side: String) throws(PeerConnectionError) -> SDPKit.SessionDescription {
        do {
            return try SDPKit.SessionDescription(parsing: description.sdp)
        } catch {
            throw PeerConnectionError(.invalidDescription, "\(side) description: \(error)")
        }
    }

    /// Applies our own offer or answer. Host candidates are announced after this.
    public func setLocalDescription(_ description: RTCSessionDescription, at now: ContinuousClock.Instant) throws(PeerConnectionError) {
        let parsed = try Self.parse(description, side: "local")
        switch (description.type, signalingState) {
        case (.offer, .stable), (.offer, .haveLocalOffer):
            for (index, section) in parsed.mediaSections.enumerated() {
                guard let mid = section.mid else { continue }
                guard let transceiver = media.transceiver(mid: mid) ?? pendingOfferMids[mid].flatMap({ media.transceiver(id: $0) }) else {
                    if section.port == 0 { continue }  // the place of an m-line no transceiver has
                    throw PeerConnectionError(.invalidDescription, "the local offer's mid \(mid) is not one createOffer made")
                }
                media.associate(transceiver, mid: mid, mLineIndex: index)
            }
            signalingState = .haveLocalOffer
            negotiationNeeded = false
            for transceiver in media.transceivers where transceiver.mid != nil { transceiver.negotiatedDirection = transceiver.direction }
            if ice == nil { ice = makeAgent(role: .controlling) }
            if let fresh = offeredRestartCredentials, description.sdp.contains("a=ice-ufrag:\(fresh.ufrag)\r\n") {
                offeredRestartCredentials = nil
                localCredentials = fresh
                startNextICEAgent()
                restartCandidatesPending = true
            }
        case (.answer, .haveRemoteOffer):
            if dtlsRole == nil, let section = parsed.mediaSections.first(where: { !$0.isRejected }), let setup = parsed.setup(for: section) {
                dtlsRole = setup == .passive ? .server : .client
            }
            signalingState = .stable
            for section in parsed.mediaSections {
                guard let mid = section.mid, let transceiver = media.transceiver(mid: mid) else { continue }
                if section.isRejected || transceiver.negotiated == nil {
                    stop(transceiver)
                    continue
                }
                transceiver.currentDirection = TransceiverDirection(section.direction)
                transceiver.negotiatedDirection = transceiver.direction
                applyStreams(of: transceiver)
            }
            try startDTLSIfReady(at: now)
            localDescription = parsed
            checkNegotiationNeeded()
        default:
            throw PeerConnectionError(.invalidState, "cannot set a local \(description.type.rawValue) in state \(signalingState.rawValue)")
        }
        localDescription = parsed
        media.sortByMLine()
        if bundleMid == nil {
            bundleMid = parsed.bundleGroup?.first ?? parsed.mediaSections.first { !$0.isRejected }?.mid
        }
        announceLocalCandidates(at: now)
        if restartCandidatesPending {
            restartCandidatesPending = false
            announceNextICECandidates(at: now)
        }
    }

    /// Applies the remote peer's offer or answer, a first one or a
    /// renegotiation on the same transport. It is checked whole first: one
    /// that cannot be applied throws and changes nothing.
    public func setRemoteDescription(_ description: RTCSessionDescription, at now: ContinuousClock.Instant) throws(PeerConnectionError) {
        let parsed = try Self.parse(description, side: "remote")
        switch (description.type, signalingState) {
        case (.offer, .stable), (.answer, .haveLocalOffer): break
        case (.pranswer, _), (.rollback, _):
            throw PeerConnectionError(.invalidState, "\(description.type.rawValue) descriptions are not supported")
        default:
            throw PeerConnectionError(.invalidState, "cannot set a remote \(description.type.rawValue) in state \(signalingState.rawValue)")
        }
        let plan = try RemoteDescriptionPlan(
            parsed, isOffer: description.type == .offer, codecs: configuration.codecs, media: media,
            localOffer: description.type == .answer ? localDescription : nil,
            currentRemote: remoteDescription.map { ($0, remoteFingerprintValue) })

        // Everything is known to fit: apply it.
        if description.type == .offer {
            signalingState = .haveRemoteOffer
            // An ICE-lite peer (many media servers) never controls: the full
            // agent takes the controlling role and nominates (RFC 8445 6.1.1).
            let remoteIsLite = parsed.attribute(named: "ice-lite") != nil
            if ice == nil { ice = makeAgent(role: remoteIsLite ? .controlling : .controlled) }
        } else {
            signalingState = .stable
            // Our offer said actpass; the answer decides (RFC 8842).
            if dtlsRole == nil { dtlsRole = plan.remoteSetup == .active ? .server : .client }
        }
        for section in plan.sections {
            apply(section, isOffer: description.type == .offer)
        }
        remoteDescription = parsed
        reducedSizeRTCP = parsed.mediaSections.first { !$0.isRejected }?.isRTCPReducedSize ?? false
        media.sortByMLine()
        if remoteFingerprintValue == nil { remoteFingerprintValue = plan.fingerprint }
        if description.type == .answer { checkNegotiationNeeded() }

        if plan.restartsICE, ice != nil {
            if nextICE == nil {
                // The peer restarts ICE: so do we, with new credentials of
                // our own in the answer (RFC 8445 9.1.1).
                localCredentials = .random()
                startNextICEAgent()
                restartCandidatesPending = true
            }
        }
        if newestICE?.remoteCredentials == nil {
            do {
                try updateNewestICE { agent in try agent.setRemoteCredentials(ufrag: plan.credentials.ufrag, pwd: plan.credentials.pwd) }
            } catch {
                throw PeerConnectionError(.invalidDescription, "remote ICE credentials: \(error)")
            }
        }
        for candidate in plan.candidates {
            addRemote(candidate)
        }
        if plan.endOfCandidates { updateNewestICE { $0.endOfRemoteCandidates() } }
        let held = pendingRemoteCandidates
        pendingRemoteCandidates = []
        for candidate in held {
            try? addIceCandidate(candidate)
        }
        if dtlsRole != nil { try startDTLSIfReady(at: now) }
        // Our own restart offer was answered: the new generation's candidates go out now.
        if description.type == .answer, restartCandidatesPending {
            restartCandidatesPending = false
            announceNextICECandidates(at: now)
        }
        // Let the agents start their checks now that they know the remote side.
        ice?.handleTimeout(at: now)
        nextICE?.handleTimeout(at: now)
        drainICE(at: now)
    }

    /// Applies one planned m-section to its transceiver.
    private func apply(_ section: RemoteDescriptionPlan.Section, isOffer: Bool) {
        let transceiver: Transceiver
        switch section.target {
        case .existing(let id):
            guard let existing = media.transceiver(id: id) else { return }
            transceiver = existing
        case .new(let kind):
            transceiver = media.add(kind: kind, direction: .recvonly, sender: nil)
        case .none:
            return
        }
        if let replaced = section.replaces.flatMap({ media.transceiver(id: $0) }) { media.detach(replaced) }
        media.associate(transceiver, mid: section.mid, mLineIndex: section.index)
        guard !section.isRejected, let negotiated = section.negotiated else {
            if isOffer { transceiver.negotiated = nil }
            stop(transceiver)
            return
        }
        transceiver.isStopped = false
        if let previous = transceiver.negotiated?.codec, previous.name.lowercased() != negotiated.codec.name.lowercased()
            || previous.clockRate != negotiated.codec.clockRate
        {
            // Another codec: new streams with its payload format.
            media.setSendStream(nil, of: transceiver)
            media.setReceiveStream(nil, of: transceiver)
        }
        transceiver.negotiated = negotiated
        transceiver.remoteSends = section.remoteDirection.sends
        transceiver.remoteSSRCs = section.remoteSSRCs
        transceiver.remoteStreamIDs = section.remoteStreamIDs
        transceiver.remoteTrackID = section.remoteTrackID
        if !isOffer {
            transceiver.currentDirection = TransceiverDirection(section.remoteDirection).reversed
            applyStreams(of: transceiver)
        }
        announceRemoteTrackChange(of: transceiver)
    }

    /// `.remoteTrack` when the remote side starts sending on a transceiver
    /// that receives (W3C fires `track` then), `.remoteTrackEnded` when it stops.
    private func announceRemoteTrackChange(of transceiver: Transceiver) {
        guard let mid = transceiver.mid else { return }
        let receiving = transceiver.remoteSends && transceiver.direction.receives && !transceiver.isStopped
        if receiving, !transceiver.announcedRemoteTrack, let negotiated = transceiver.negotiated {
            transceiver.announcedRemoteTrack = true
            emit(.remoteTrack(RemoteTrackInfo(
                mid: mid, kind: transceiver.kind, codec: negotiated.codec, streamIDs: transceiver.remoteStreamIDs,
                trackID: transceiver.remoteTrackID)))
        } else if !receiving, transceiver.announcedRemoteTrack {
            transceiver.announcedRemoteTrack = false
            emit(.remoteTrackEnded(mid: mid))
        }
    }

    /// A rejected m-section: nothing is sent or received on it any more.
    private func stop(_ transceiver: Transceiver) {
        transceiver.isStopped = true
        transceiver.currentDirection = nil
        transceiver.remoteSends = false
        media.setSendStream(nil, of: transceiver)
        media.setReceiveStream(nil, of: transceiver)
        announceRemoteTrackChange(of: transceiver)
    }

    /// The RTX payload type retransmissions go with: where NACK and RTX were
    /// both negotiated for video; otherwise they go on the media SSRC.
    private func sendsRTX(_ negotiated: Transceiver.Negotiated, _ kind: TrackKind) -> UInt8? {
        kind == .video && negotiated.nack ? negotiated.rtxPayloadType : nil
    }

    /// Makes, updates or removes a transceiver's streams to fit its negotiated direction.
    func applyStreams(of transceiver: Transceiver) {
        defer { updateTransportWideExtension() }
        guard let mid = transceiver.mid, let negotiated = transceiver.negotiated, let current = transceiver.currentDirection,
            !transceiver.isStopped, let codec = codec(for: negotiated.codec, kind: transceiver.kind)
        else {
            media.setSendStream(nil, of: transceiver)
            media.setReceiveStream(nil, of: transceiver)
            return
        }
        if current.sends, let sender = transceiver.sender {
            if let stream = transceiver.sendStream, stream.ssrc == sender.ssrc {
                stream.update(
                    payloadType: negotiated.codec.payloadType, extensions: negotiated.sendExtensions,
                    rtxPayloadType: sendsRTX(negotiated, transceiver.kind))
            } else {
                media.setSendStream(codec.makeSendStream(SendStreamSetup(
                    mid: mid, kind: transceiver.kind, ssrc: sender.ssrc, payloadType: negotiated.codec.payloadType,
                    clockRate: negotiated.codec.clockRate, maxPacketSize: configuration.maxPacketSize,
                    extensions: negotiated.sendExtensions, retransmits: transceiver.kind == .video && negotiated.nack,
                    rtx: sendsRTX(negotiated, transceiver.kind).map { (sender.rtxSSRC, $0) })), of: transceiver)
            }
        } else {
            media.setSendStream(nil, of: transceiver)
        }
        if current.receives {
            if let ssrc = transceiver.remoteSSRCs.first { startReceiving(on: transceiver, ssrc: ssrc) }
        } else {
            media.setReceiveStream(nil, of: transceiver)
        }
    }

    // MARK: Candidates

    /// Adds a trickled remote candidate. Candidates that arrive before the
    /// remote description are held; an empty candidate marks the end; TCP
    /// and unresolvable `.local` candidates are ignored.
    public func addIceCandidate(_ candidate: RTCIceCandidate, at now: ContinuousClock.Instant) throws(PeerConnectionError) {
        try addIceCandidate(candidate)
        if newestICE?.remoteCredentials != nil {
            ice?.handleTimeout(at: now)
            nextICE?.handleTimeout(at: now)
            drainICE(at: now)
        }
    }

    /// At most this many candidates are held before the remote description
    /// arrives; more are dropped (a remote peer cannot grow the queue without bound).
    static var maxHeldCandidates: Int { 64 }

    func addIceCandidate(_ candidate: RTCIceCandidate) throws(PeerConnectionError) {
        guard remoteDescription != nil, ice != nil else {
            // Checked now, so that a malformed one is refused when it comes, not dropped later.
            if !candidate.candidate.isEmpty {
                do {
                    _ = try SDPKit.ICECandidate(parsing: candidate.candidate)
                } catch {
                    throw PeerConnectionError(.invalidCandidate, "\(candidate.candidate): \(error)")
                }
            }
            if pendingRemoteCandidates.count < Self.maxHeldCandidates { pendingRemoteCandidates.append(candidate) }
            return
        }
        if let ufrag = candidate.usernameFragment, let remote = newestICE?.remoteCredentials, ufrag != remote.ufrag {
            return  // a candidate of an earlier ICE generation
        }
        if candidate.candidate.isEmpty {
            updateNewestICE { $0.endOfRemoteCandidates() }
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
        updateNewestICE { $0.addRemoteCandidate(converted) }
    }

    func makeAgent(role: ICERole) -> ICEAgent {
        ICEAgent(role: role, credentials: localCredentials, configuration: configuration.ice, logger: logger)
    }

    /// Announces the host candidates, then asks the STUN servers for
    /// server-reflexive ones and the TURN servers for relayed ones; the end
    /// of candidates follows when they have all answered or been given up.
    /// With the `relay` policy only relayed candidates are gathered.
    func announceLocalCandidates(at now: ContinuousClock.Instant) {
        guard !localCandidatesAnnounced else { return }
        localCandidatesAnnounced = true
        if configuration.iceTransportPolicy == .all {
            for address in localAddresses { announce(address) }
            for server in configuration.stunServers {
                _ = ice?.gatherServerReflexive(from: server, at: now)
            }
        }
        startAllocations(at: now)
        drainICE(at: now)
        finishGatheringIfDone()
    }

    /// Emits the end of local candidates once no STUN or TURN server is
    /// still being asked.
    func finishGatheringIfDone() {
        guard localCandidatesAnnounced, !(newestICE?.isGathering ?? false), !isAllocating else { return }
        finishGathering()
    }

    /// Emits the end of local candidates, once.
    func finishGathering() {
        guard !gatheringFinished else { return }
        gatheringFinished = true
        emit(.endOfLocalCandidates)
    }

    func announce(_ address: ICETransportAddress) {
        guard var agent = ice else { return }
        defer { ice = agent }
        guard let candidate = try? agent.addLocalHostCandidate(address: address) else { return }
        emitLocalCandidate(candidate)
    }

    /// Trickles one local candidate in the BUNDLE transport's m-section.
    func emitLocalCandidate(_ candidate: ICEKit.ICECandidate) {
        let sdp = CandidateConversion.sdpCandidate(from: candidate)
        let mid = bundleMid ?? "0"
        let index = localDescription?.mediaSections.firstIndex { $0.mid == mid } ?? 0
        emit(.localCandidate(RTCIceCandidate(
            candidate: sdp.candidateString, sdpMid: mid, sdpMLineIndex: index, usernameFragment: localCredentials.ufrag)))
    }
}

extension Direction {
    init(_ direction: TransceiverDirection) {
        self = Direction(rawValue: direction.rawValue) ?? .inactive
    }
}

extension TransceiverDirection {
    init(_ direction: Direction) {
        self = TransceiverDirection(rawValue: direction.rawValue) ?? .inactive
    }

    /// The same direction seen from the other side.
    var reversed: TransceiverDirection { TransceiverDirection(sends: receives, receives: sends) }
}
