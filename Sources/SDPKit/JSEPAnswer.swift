extension JSEP {
    /// Creates an answer to a remote offer (RFC 8829 section 5.3.1).
    ///
    /// - Every offered m-line gets one answer m-line, in the same order, with
    ///   the same kind, protocol and mid.
    /// - An RTP m-line is accepted when ``AnswerOptions`` has capabilities for
    ///   its kind, its protocol is `…RTP/SAVPF` or `…RTP/SAVP`, it offers
    ///   `rtcp-mux`, and at least one offered codec matches a capability. The
    ///   answer lists the matching codecs with the offer's payload types, in the
    ///   offer's order, with the offer's fmtp, and with the offered rtcp-fb lines
    ///   that the capability lists (the others are dropped). An offered `rtx`
    ///   payload type is kept when an ``CodecCapability/rtx(clockRate:)``
    ///   capability is given and its `apt` names an accepted codec.
    /// - A data channel m-line is accepted when ``AnswerOptions/acceptsDataChannel`` is set.
    /// - Any other m-line, or one the offer already rejected (port 0), is
    ///   rejected: `m=<kind> 0 <proto> <first offered format>`, `c=IN IP4 0.0.0.0`,
    ///   the ICE credentials, fingerprint, setup role and mid (strict peers
    ///   check them in every section), `a=inactive` and `a=rtcp-mux` for RTP;
    ///   it is left out of the BUNDLE group.
    /// - The direction is the capabilities' wish intersected with the offer's
    ///   (an offered `sendonly` gives `recvonly`, `recvonly` gives `sendonly` or
    ///   `inactive`, and so on).
    /// - Offered header extensions whose URI the capabilities list are echoed with the offer's ids.
    /// - The setup role answers the offer's: `actpass` takes ``AnswerOptions/setup``,
    ///   `active` gives `passive` and `passive` gives `active`.
    /// - At session level: `a=group:BUNDLE` with the accepted mids (when the
    ///   offer has a BUNDLE group), `a=extmap-allow-mixed` when offered, and
    ///   `a=msid-semantic: WMS`.
    ///
    /// Throws ``SDPError/Code/invalidOptions`` for invalid local credentials,
    /// fingerprint or setup, and ``SDPError/Code/negotiationFailed`` when an
    /// accepted section has no ICE credentials or fingerprint in the offer, or
    /// the offer's setup is `holdconn`.
    public static func createAnswer(to offer: SessionDescription, options: AnswerOptions) throws(SDPError) -> SessionDescription {
        try validate(iceCredentials: options.iceCredentials, fingerprint: options.fingerprint, iceOptions: options.iceOptions)
        guard options.setup == .active || options.setup == .passive else {
            throw SDPError(.invalidOptions, "an answer's setup role must be active or passive")
        }

        var sections: [MediaSection] = []
        var acceptedMids = Set<String>()
        var streamIDs: [String] = []
        var usedTrackKinds = Set<MediaKind>()
        var wroteCandidates = false

        for offered in offer.mediaSections {
            guard let plan = try plan(for: offered, in: offer, options: options) else {
                sections.append(rejected(offered, options: options, setup: answerSetup(for: offered, in: offer, options: options) ?? options.setup))
                continue
            }
            guard let setup = answerSetup(for: offered, in: offer, options: options) else {
                throw SDPError(.negotiationFailed, "the offer's setup role is holdconn")
            }
            let candidates = wroteCandidates ? [] : options.candidates
            var section: MediaSection
            switch plan {
            case .dataChannel:
                section = MediaSection(kind: offered.kind, proto: offered.proto, formats: offered.formats)
                section.lines = transportLines(
                    rtp: false, candidates: candidates, iceCredentials: options.iceCredentials, iceOptions: options.iceOptions,
                    fingerprint: options.fingerprint, setup: setup, mid: offered.mid)
                section.lines += dataChannelLines(sctpPort: offered.sctpPort ?? sctpPort)
            case .rtp(let codecs, let capabilities):
                section = MediaSection(kind: offered.kind, proto: offered.proto, formats: codecs.map { String($0.payloadType) })
                section.lines = transportLines(
                    rtp: true, candidates: candidates, iceCredentials: options.iceCredentials, iceOptions: options.iceOptions,
                    fingerprint: options.fingerprint, setup: setup, mid: offered.mid)
                for headerExtension in offered.headerExtensions where capabilities.headerExtensionURIs.contains(headerExtension.uri) {
                    section.append(.extensionMap(RTPHeaderExtension(id: headerExtension.id, uri: headerExtension.uri)))
                }
                let direction = capabilities.direction.answering(offered: offered.direction)
                section.append(.direction(direction))
                var track: SendingTrack?
                let ownsTrack = offered.mid.map { options.capabilitiesByMid[$0] != nil } ?? false
                if direction.sends, let sendingTrack = capabilities.sendingTrack,
                    ownsTrack || usedTrackKinds.insert(offered.kind).inserted
                {
                    track = sendingTrack
                    section.lines.append(sendingTrack.msidLine)
                    streamIDs.append(sendingTrack.streamID)
                }
                section.append(.rtcpMux)
                if offered.isRTCPReducedSize { section.append(.rtcpReducedSize) }
                section.lines += codecLines(codecs)
                if let track {
                    section.lines += track.ssrcLines(withRTX: codecs.contains { $0.name.lowercased() == "rtx" })
                }
            }
            if !wroteCandidates, options.endOfCandidates { section.append(.endOfCandidates) }
            wroteCandidates = true
            if let mid = offered.mid { acceptedMids.insert(mid) }
            sections.append(section)
        }

        let bundle = offer.bundleGroup.map { group in group.filter(acceptedMids.contains) }
        return SessionDescription(
            origin: Origin(sessionID: options.sessionID, sessionVersion: options.sessionVersion),
            lines: sessionLines(bundle: bundle, extmapAllowMixed: offer.isExtmapAllowMixed, streamIDs: streamIDs),
            mediaSections: sections)
    }

    /// How one offered section is answered.
    enum SectionPlan {
        case rtp(codecs: [RTPCodec], capabilities: MediaCapabilities)
        case dataChannel
    }

    /// Decides whether and how to accept an offered section; nil rejects it.
    static func plan(for offered: MediaSection, in offer: SessionDescription, options: AnswerOptions) throws(SDPError) -> SectionPlan? {
        guard !offered.isRejected else { return nil }
        let plan: SectionPlan
        if offered.kind == .application {
            guard options.acceptsDataChannel, offered.proto.hasSuffix("SCTP"), offered.formats == ["webrtc-datachannel"] else { return nil }
            plan = .dataChannel
        } else {
            let capabilities: MediaCapabilities?
            if let mid = offered.mid, let own = options.capabilitiesByMid[mid] {
                capabilities = own
            } else {
                switch offered.kind {
                case .audio: capabilities = options.audio
                case .video: capabilities = options.video
                default: capabilities = nil
                }
            }
            guard let capabilities, offered.proto.hasSuffix("RTP/SAVPF") || offered.proto.hasSuffix("RTP/SAVP"),
                offered.isRTCPMuxed
            else { return nil }
            let codecs = negotiateCodecs(offered.codecs, capabilities.codecs)
            guard !codecs.isEmpty else { return nil }
            plan = .rtp(codecs: codecs, capabilities: capabilities)
        }
        guard offer.iceCredentials(for: offered) != nil else {
            throw SDPError(.negotiationFailed, "offered section \(offered.mid ?? "?") has no ICE ufrag and pwd")
        }
        guard !offer.fingerprints(for: offered).isEmpty else {
            throw SDPError(.negotiationFailed, "offered section \(offered.mid ?? "?") has no DTLS fingerprint")
        }
        return plan
    }

    /// The offered codecs that match a capability, in the offer's order, with
    /// feedback narrowed to what the capability supports; RTX follows its `apt`.
    static func negotiateCodecs(_ offered: [RTPCodec], _ capabilities: [CodecCapability]) -> [RTPCodec] {
        var accepted: [UInt8: RTPCodec] = [:]
        for codec in offered where codec.name.lowercased() != "rtx" {
            guard let capability = capabilities.first(where: { $0.matches(codec) }) else { continue }
            var answer = codec
            answer.feedback = codec.feedback.filter(capability.feedback.contains)
            accepted[codec.payloadType] = answer
        }
        for codec in offered where codec.name.lowercased() == "rtx" {
            guard capabilities.contains(where: { $0.matches(codec) }),
                let apt = codec.parameter("apt").flatMap({ TextScanning.payloadType($0[...]) }),
                accepted[apt] != nil, accepted[apt]?.name.lowercased() != "rtx"
            else { continue }
            var answer = codec
            answer.feedback = []
            accepted[codec.payloadType] = answer
        }
        return offered.compactMap { accepted[$0.payloadType] }
    }

    /// The setup role that answers the offer's for one section; nil for `holdconn`.
    static func answerSetup(for offered: MediaSection, in offer: SessionDescription, options: AnswerOptions) -> SetupRole? {
        switch offer.setup(for: offered) ?? .actpass {
        case .actpass: options.setup
        case .active: .passive
        case .passive: .active
        case .holdconn: nil
        }
    }

    /// The answer to a rejected section, as Chromium writes it: port 0, the
    /// offer's kind, protocol and first format, `c=`, and the same ICE
    /// credentials, fingerprint, setup role and mid as an accepted section
    /// (strict peers validate every m-section), then `a=inactive` and
    /// `a=rtcp-mux` for RTP.
    static func rejected(_ offered: MediaSection, options: AnswerOptions, setup: SetupRole) -> MediaSection {
        var section = MediaSection(kind: offered.kind, port: 0, proto: offered.proto, formats: Array(offered.formats.prefix(1)))
        if section.formats.isEmpty { section.formats = [offered.isRTP ? "0" : "webrtc-datachannel"] }
        section.lines = transportLines(
            rtp: false, candidates: [], iceCredentials: options.iceCredentials, iceOptions: options.iceOptions,
            fingerprint: options.fingerprint, setup: setup, mid: offered.mid)
        if offered.isRTP {
            section.append(.direction(.inactive))
            section.append(.rtcpMux)
        }
        return section
    }
}
