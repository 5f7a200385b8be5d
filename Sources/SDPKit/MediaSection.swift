/// One media description: an `m=` line and the lines under it, in order.
///
/// The typed accessors read the media-level lines only; for values that may
/// also be given at session level (ICE credentials, fingerprint, setup) ask
/// the ``SessionDescription``, where the media level wins.
public struct MediaSection: Sendable, Hashable, CustomStringConvertible {
    /// The media type: `audio`, `video`, `application`, …
    public var kind: MediaKind
    /// The port; 0 marks a rejected (or bundle-only) section, 9 is WebRTC's placeholder.
    public var port: UInt16
    /// The number of ports when written as `<port>/<count>`.
    public var portCount: UInt16?
    /// The transport protocol, such as `UDP/TLS/RTP/SAVPF` or `UDP/DTLS/SCTP`.
    public var proto: String
    /// The formats: payload types for RTP, `webrtc-datachannel` for SCTP.
    public var formats: [String]
    /// The lines after the `m=` line, in order.
    public var lines: [SDPLine]

    /// Creates a media section.
    public init(kind: MediaKind, port: UInt16 = 9, portCount: UInt16? = nil, proto: String, formats: [String], lines: [SDPLine] = []) {
        self.kind = kind
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.lines = lines
    }

    /// Parses the value of an `m=` line.
    init(parsingMediaLine value: String) throws(SDPError) {
        let fields = TextScanning.fields(value[...])
        guard fields.count >= 3, fields.allSatisfy(TextScanning.isToken) else {
            throw SDPError(.invalidMedia, "m= needs <media> <port> <proto> <fmt>…")
        }
        let portParts = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard portParts.count <= 2, let port = TextScanning.unsigned(portParts[0], as: UInt16.self) else {
            throw SDPError(.invalidPort, "m= port must be a number from 0 to 65535")
        }
        var portCount: UInt16?
        if portParts.count == 2 {
            guard let count = TextScanning.unsigned(portParts[1], as: UInt16.self) else {
                throw SDPError(.invalidPort, "m= port count must be a number")
            }
            portCount = count
        }
        let proto = String(fields[2])
        let formats = fields.dropFirst(3).map(String.init)
        if MediaSection.isRTP(proto) {
            guard !formats.isEmpty else { throw SDPError(.invalidMedia, "an RTP m= line needs at least one payload type") }
            for format in formats where TextScanning.payloadType(format[...]) == nil {
                throw SDPError(.invalidPayloadType, "payload type \"\(format)\" is not a number from 0 to 127")
            }
        }
        self.init(kind: MediaKind(rawValue: String(fields[0])), port: port, portCount: portCount, proto: proto, formats: formats)
    }

    /// The value of the `m=` line.
    public var mediaLine: String {
        var text = "\(kind) \(port)"
        if let portCount { text += "/\(portCount)" }
        text += " \(proto)"
        for format in formats { text += " \(format)" }
        return text
    }

    /// The section's text: the `m=` line and every line under it, each ending in CRLF.
    public var description: String {
        var text = "m=\(mediaLine)\r\n"
        for line in lines { text += "\(line)\r\n" }
        return text
    }

    static func isRTP(_ proto: String) -> Bool {
        proto.split(separator: "/").contains("RTP")
    }

    // MARK: Attributes

    /// The `a=` attributes of this section, in order.
    public var attributes: [SDPAttribute] { lines.compactMap(\.attribute) }

    /// The first attribute with the given name.
    public func attribute(named name: String) -> SDPAttribute? {
        attributes.first { $0.name == name }
    }

    /// Appends an attribute line.
    public mutating func append(_ content: SDPAttribute.Content) {
        lines.append(.attribute(SDPAttribute(content)))
    }

    /// Whether this section uses RTP (its proto has an `RTP` part).
    public var isRTP: Bool { MediaSection.isRTP(proto) }

    /// Whether the port is 0 without `a=bundle-only`: the section is rejected or removed.
    public var isRejected: Bool { port == 0 && attribute(named: "bundle-only") == nil }

    /// The `c=` line of this section, if any.
    public var connection: ConnectionData? {
        for case .connection(let connection) in lines { return connection }
        return nil
    }

    /// The `b=` lines of this section.
    public var bandwidths: [Bandwidth] {
        lines.compactMap { if case .bandwidth(let bandwidth) = $0 { bandwidth } else { nil } }
    }

    /// `a=mid`.
    public var mid: String? {
        for attribute in attributes { if case .mid(let mid) = attribute.content { return mid } }
        return nil
    }

    /// The direction attribute, `sendrecv` when there is none (RFC 8866 section 6.7).
    public var direction: Direction {
        for attribute in attributes { if case .direction(let direction) = attribute.content { return direction } }
        return .sendrecv
    }

    /// The payload types of the `m=` line, in order (empty for non-RTP sections).
    public var payloadTypes: [UInt8] {
        isRTP ? formats.compactMap { TextScanning.payloadType($0[...]) } : []
    }

    /// The codecs, in the order of the `m=` line: each payload type with its
    /// rtpmap (or the RFC 3551 static meaning), fmtp and rtcp-fb. Payload types
    /// without an rtpmap and without a static meaning are left out.
    public var codecs: [RTPCodec] {
        var maps: [UInt8: RTPMapAttribute] = [:]
        var parameters: [UInt8: String] = [:]
        var feedback: [UInt8: [RTCPFeedback]] = [:]
        var wildcardFeedback: [RTCPFeedback] = []
        for attribute in attributes {
            switch attribute.content {
            case .rtpMap(let map): if maps[map.payloadType] == nil { maps[map.payloadType] = map }
            case .formatParameters(let fmtp): if parameters[fmtp.payloadType] == nil { parameters[fmtp.payloadType] = fmtp.parameters }
            case .rtcpFeedback(let rtcpFeedback):
                if let payloadType = rtcpFeedback.payloadType {
                    feedback[payloadType, default: []].append(rtcpFeedback.feedback)
                } else {
                    wildcardFeedback.append(rtcpFeedback.feedback)
                }
            default: break
            }
        }
        var seen = Set<UInt8>()
        return payloadTypes.compactMap { payloadType in
            guard seen.insert(payloadType).inserted else { return nil }
            var codec: RTPCodec
            if let map = maps[payloadType] {
                codec = RTPCodec(payloadType: payloadType, name: map.encodingName, clockRate: map.clockRate, channels: map.channels)
            } else if let known = RTPCodec.staticPayloadType(payloadType) {
                codec = known
            } else {
                return nil
            }
            codec.formatParameters = parameters[payloadType]
            codec.feedback = (feedback[payloadType] ?? []) + wildcardFeedback
            return codec
        }
    }

    /// The first codec with the given encoding name (case-insensitive), such as `VP8`.
    public func codec(named name: String) -> RTPCodec? {
        codecs.first { $0.name.lowercased() == name.lowercased() }
    }

    /// The `a=extmap` header extensions, in order.
    public var headerExtensions: [RTPHeaderExtension] {
        attributes.compactMap { if case .extensionMap(let map) = $0.content { map } else { nil } }
    }

    /// `a=ice-ufrag` at this level.
    public var iceUfrag: String? {
        for attribute in attributes { if case .iceUfrag(let ufrag) = attribute.content { return ufrag } }
        return nil
    }

    /// `a=ice-pwd` at this level.
    public var icePwd: String? {
        for attribute in attributes { if case .icePwd(let pwd) = attribute.content { return pwd } }
        return nil
    }

    /// `a=ice-options` tokens at this level.
    public var iceOptions: [String] {
        attributes.flatMap { attribute -> [String] in
            if case .iceOptions(let options) = attribute.content { return options }
            return []
        }
    }

    /// `a=fingerprint` lines at this level.
    public var fingerprints: [Fingerprint] {
        attributes.compactMap { if case .fingerprint(let fingerprint) = $0.content { fingerprint } else { nil } }
    }

    /// `a=setup` at this level.
    public var setup: SetupRole? {
        for attribute in attributes { if case .setup(let role) = attribute.content { return role } }
        return nil
    }

    /// The `a=candidate` lines, in order.
    public var candidates: [ICECandidate] {
        attributes.compactMap { if case .candidate(let candidate) = $0.content { candidate } else { nil } }
    }

    /// Whether `a=end-of-candidates` is present.
    public var hasEndOfCandidates: Bool {
        attributes.contains { $0.content == .endOfCandidates }
    }

    /// `a=msid`, the first one.
    public var msid: MSIDAttribute? {
        for attribute in attributes { if case .msid(let msid) = attribute.content { return msid } }
        return nil
    }

    /// The `a=ssrc` lines, in order.
    public var ssrcAttributes: [SSRCAttribute] {
        attributes.compactMap { if case .ssrc(let ssrc) = $0.content { ssrc } else { nil } }
    }

    /// The distinct sources named by `a=ssrc` lines, in order of first appearance.
    public var ssrcs: [UInt32] {
        var seen = Set<UInt32>()
        return ssrcAttributes.map(\.ssrc).filter { seen.insert($0).inserted }
    }

    /// The `cname` of a source, from its `a=ssrc:<ssrc> cname:` line.
    public func cname(of ssrc: UInt32) -> String? {
        ssrcAttributes.first { $0.ssrc == ssrc && $0.name == "cname" }?.value
    }

    /// The `a=ssrc-group` lines, in order.
    public var ssrcGroups: [SSRCGroupAttribute] {
        attributes.compactMap { if case .ssrcGroup(let group) = $0.content { group } else { nil } }
    }

    /// Whether RTCP shares the RTP port: `a=rtcp-mux`, or `a=rtcp-mux-only` (RFC 8858).
    public var isRTCPMuxed: Bool {
        attributes.contains { $0.content == .rtcpMux || $0.name == "rtcp-mux-only" }
    }

    /// Whether `a=rtcp-rsize` is present.
    public var isRTCPReducedSize: Bool { attributes.contains { $0.content == .rtcpReducedSize } }

    /// `a=sctp-port` of a data channel section (RFC 8841).
    public var sctpPort: UInt16? {
        attribute(named: "sctp-port")?.value.flatMap { TextScanning.unsigned($0, as: UInt16.self) }
    }

    /// `a=max-message-size` of a data channel section (RFC 8841).
    public var maxMessageSize: UInt64? {
        attribute(named: "max-message-size")?.value.flatMap { TextScanning.unsigned($0, as: UInt64.self) }
    }
}
