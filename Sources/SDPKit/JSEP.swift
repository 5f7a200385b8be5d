/// Offer and answer creation for WebRTC (RFC 8829), producing descriptions
/// in the shape Chromium writes and accepts: BUNDLE of every mid,
/// `rtcp-mux`, `rtcp-rsize`, trickle ICE, DTLS-SRTP over `UDP/TLS/RTP/SAVPF`.
public enum JSEP {
    /// The transport protocol of WebRTC RTP media sections.
    public static let rtpProtocol = "UDP/TLS/RTP/SAVPF"
    /// The transport protocol of WebRTC data channel sections.
    public static let dataChannelProtocol = "UDP/DTLS/SCTP"
    /// The SCTP port a data channel section announces.
    static let sctpPort: UInt16 = 5000
    /// The largest data channel message a section announces (Chromium's value).
    static let maxMessageSize: UInt64 = 262_144

    /// The lines both builders write at the top of a media section: `c=`,
    /// `a=rtcp` (RTP only), candidates, ICE, fingerprint, setup and mid.
    static func transportLines(
        rtp: Bool, candidates: [ICECandidate], iceCredentials: ICECredentials, iceOptions: [String],
        fingerprint: Fingerprint, setup: SetupRole, mid: String?
    ) -> [SDPLine] {
        var lines: [SDPLine] = [.connection(ConnectionData())]
        if rtp { lines.append(.attribute(SDPAttribute(.other(name: "rtcp", value: "9 IN IP4 0.0.0.0")))) }
        for candidate in candidates { lines.append(.attribute(SDPAttribute(.candidate(candidate)))) }
        lines.append(.attribute(SDPAttribute(.iceUfrag(iceCredentials.ufrag))))
        lines.append(.attribute(SDPAttribute(.icePwd(iceCredentials.pwd))))
        if !iceOptions.isEmpty { lines.append(.attribute(SDPAttribute(.iceOptions(iceOptions)))) }
        lines.append(.attribute(SDPAttribute(.fingerprint(fingerprint))))
        lines.append(.attribute(SDPAttribute(.setup(setup))))
        if let mid { lines.append(.attribute(SDPAttribute(.mid(mid)))) }
        return lines
    }

    /// The rtpmap, rtcp-fb and fmtp lines of codecs, in Chromium's order.
    static func codecLines(_ codecs: [RTPCodec]) -> [SDPLine] {
        var lines: [SDPLine] = []
        for codec in codecs {
            lines.append(.attribute(SDPAttribute(.rtpMap(codec.rtpMap))))
            for feedback in codec.feedback {
                lines.append(.attribute(SDPAttribute(.rtcpFeedback(RTCPFeedbackAttribute(payloadType: codec.payloadType, feedback: feedback)))))
            }
            if let parameters = codec.formatParameters {
                lines.append(.attribute(SDPAttribute(.formatParameters(FormatParametersAttribute(payloadType: codec.payloadType, parameters: parameters)))))
            }
        }
        return lines
    }

    /// The data channel attributes after the transport lines.
    static func dataChannelLines(sctpPort: UInt16) -> [SDPLine] {
        [
            .attribute(SDPAttribute(.other(name: "sctp-port", value: String(sctpPort)))),
            .attribute(SDPAttribute(.other(name: "max-message-size", value: String(maxMessageSize)))),
        ]
    }

    /// The session-level lines after `s=`: timing, BUNDLE, extmap-allow-mixed, msid-semantic.
    static func sessionLines(bundle: [String]?, extmapAllowMixed: Bool, streamIDs: [String]) -> [SDPLine] {
        var lines: [SDPLine] = [.timing(Timing())]
        if let bundle { lines.append(.attribute(SDPAttribute(.group(GroupAttribute(semantics: "BUNDLE", mids: bundle))))) }
        if extmapAllowMixed { lines.append(.attribute(SDPAttribute(.extmapAllowMixed))) }
        var seen = Set<String>()
        let unique = streamIDs.filter { $0 != "-" && seen.insert($0).inserted }
        lines.append(.attribute(SDPAttribute(.msidSemantic(MSIDSemanticAttribute(streamIDs: unique)))))
        return lines
    }

    /// Checks the local transport values both builders write.
    static func validate(iceCredentials: ICECredentials, fingerprint: Fingerprint, iceOptions: [String]) throws(SDPError) {
        guard iceCredentials.isValid else {
            throw SDPError(.invalidOptions, "ICE ufrag (4-256) and pwd (22-256) must be ice-chars (letters, digits, + and /)")
        }
        guard TextScanning.isToken(fingerprint.hashFunction[...]), let digest = fingerprint.digest, !digest.isEmpty else {
            throw SDPError(.invalidOptions, "the fingerprint must be a hash function name and colon-separated hex bytes")
        }
        guard iceOptions.allSatisfy({ TextScanning.isToken($0[...]) }) else {
            throw SDPError(.invalidOptions, "ICE options must be tokens")
        }
    }
}
