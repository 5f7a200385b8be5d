extension JSEP {
    /// Creates an offer: for each offered section, in order, an
    /// `m=<kind> 9 UDP/TLS/RTP/SAVPF <payload types>` (or a data channel
    /// section) with `c=IN IP4 0.0.0.0`, ICE credentials and options, the
    /// fingerprint, the setup role, the mid, header extensions, the direction,
    /// `msid`, `rtcp-mux`, `rtcp-rsize`, the codecs and the sending track's ssrc
    /// lines; and at session level `a=group:BUNDLE` of every mid,
    /// `a=extmap-allow-mixed` and `a=msid-semantic: WMS`.
    ///
    /// Throws ``SDPError/Code/invalidOptions`` for invalid ICE credentials or
    /// fingerprint, no media, duplicate or malformed mids, an RTP section
    /// without codecs, duplicate payload types or header extension ids.
    public static func createOffer(_ options: OfferOptions) throws(SDPError) -> SessionDescription {
        try validate(iceCredentials: options.iceCredentials, fingerprint: options.fingerprint, iceOptions: options.iceOptions)
        guard !options.media.isEmpty else { throw SDPError(.invalidOptions, "an offer needs at least one media section") }
        var mids = Set<String>()
        for media in options.media {
            guard TextScanning.isToken(media.mid[...]), mids.insert(media.mid).inserted else {
                throw SDPError(.invalidOptions, "mid \"\(media.mid)\" is empty, has spaces or is used twice")
            }
            guard TextScanning.isToken(media.kind.rawValue[...]) else {
                throw SDPError(.invalidOptions, "media kind \"\(media.kind)\" is not a token")
            }
            if media.kind != .application {
                guard !media.codecs.isEmpty || media.isRejected else {
                    throw SDPError(.invalidOptions, "section \(media.mid) has no codecs")
                }
                var payloadTypes = Set<UInt8>()
                for codec in media.codecs {
                    guard codec.payloadType <= 127, payloadTypes.insert(codec.payloadType).inserted else {
                        throw SDPError(.invalidOptions, "payload type \(codec.payloadType) in section \(media.mid) is over 127 or used twice")
                    }
                    guard TextScanning.isToken(codec.name[...]), !codec.name.contains("/") else {
                        throw SDPError(.invalidOptions, "codec name \"\(codec.name)\" is not a token")
                    }
                }
                var ids = Set<UInt16>()
                for headerExtension in media.headerExtensions {
                    guard (1...255).contains(headerExtension.id), ids.insert(headerExtension.id).inserted else {
                        throw SDPError(.invalidOptions, "header extension id \(headerExtension.id) in section \(media.mid) is out of 1-255 or used twice")
                    }
                }
            }
        }

        var sections: [MediaSection] = []
        var streamIDs: [String] = []
        let firstOpen = options.media.firstIndex { !$0.isRejected }
        for (index, media) in options.media.enumerated() {
            let candidates = index == firstOpen ? options.candidates : []
            var section: MediaSection
            if media.isRejected {
                section = rejectedOffer(media, options: options)
            } else if media.kind == .application {
                section = MediaSection(kind: .application, proto: dataChannelProtocol, formats: ["webrtc-datachannel"])
                section.lines = transportLines(
                    rtp: false, candidates: candidates, iceCredentials: options.iceCredentials, iceOptions: options.iceOptions,
                    fingerprint: options.fingerprint, setup: options.setup, mid: media.mid)
                section.lines += dataChannelLines(sctpPort: sctpPort)
            } else {
                section = MediaSection(kind: media.kind, proto: rtpProtocol, formats: media.codecs.map { String($0.payloadType) })
                section.lines = transportLines(
                    rtp: true, candidates: candidates, iceCredentials: options.iceCredentials, iceOptions: options.iceOptions,
                    fingerprint: options.fingerprint, setup: options.setup, mid: media.mid)
                for headerExtension in media.headerExtensions { section.append(.extensionMap(headerExtension)) }
                section.append(.direction(media.direction))
                let track = media.direction.sends ? media.sendingTrack : nil
                if let track {
                    section.lines.append(track.msidLine)
                    streamIDs.append(track.streamID)
                }
                section.append(.rtcpMux)
                section.append(.rtcpReducedSize)
                section.lines += codecLines(media.codecs)
                if let track {
                    let hasRTX = media.codecs.contains { $0.name.lowercased() == "rtx" }
                    section.lines += track.ssrcLines(withRTX: hasRTX)
                }
            }
            if index == firstOpen, options.endOfCandidates { section.append(.endOfCandidates) }
            sections.append(section)
        }

        return SessionDescription(
            origin: Origin(sessionID: options.sessionID, sessionVersion: options.sessionVersion),
            lines: sessionLines(
                bundle: options.media.filter { !$0.isRejected }.map(\.mid), extmapAllowMixed: true, streamIDs: streamIDs),
            mediaSections: sections)
    }

    /// A section kept in a subsequent offer only to hold its place (RFC 8829
    /// 5.2.2): port 0, its kind, protocol and formats, the transport lines
    /// and mid, and `a=inactive` for RTP; left out of BUNDLE.
    static func rejectedOffer(_ media: OfferedMedia, options: OfferOptions) -> MediaSection {
        let rtp = media.kind != .application
        var section = MediaSection(
            kind: media.kind, port: 0, proto: rtp ? rtpProtocol : dataChannelProtocol,
            formats: rtp ? (media.codecs.isEmpty ? ["0"] : media.codecs.map { String($0.payloadType) }) : ["webrtc-datachannel"])
        section.lines = transportLines(
            rtp: false, candidates: [], iceCredentials: options.iceCredentials, iceOptions: options.iceOptions,
            fingerprint: options.fingerprint, setup: options.setup, mid: media.mid)
        if rtp {
            section.append(.direction(.inactive))
            section.append(.rtcpMux)
            section.lines += codecLines(media.codecs)
        }
        return section
    }
}
