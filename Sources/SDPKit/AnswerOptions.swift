/// What ``JSEP/createAnswer(to:options:)`` may accept, and the local
/// transport values it writes.
public struct AnswerOptions: Sendable, Hashable {
    /// The local ICE credentials, written in every accepted media section.
    public var iceCredentials: ICECredentials
    /// The local DTLS certificate fingerprint, written in every accepted media section.
    public var fingerprint: Fingerprint
    /// The DTLS role to take when the offer says `actpass`: `active` (the
    /// RFC 8842 recommendation) or `passive`. When the offer says `active` or
    /// `passive`, the answer takes the other role whatever this says.
    public var setup: SetupRole
    /// Audio capabilities; nil rejects every audio m-line.
    public var audio: MediaCapabilities?
    /// Video capabilities; nil rejects every video m-line.
    public var video: MediaCapabilities?
    /// Capabilities for the offered section with this mid, taking the place
    /// of ``audio`` or ``video`` for it, so that each m-section can be
    /// answered by its own transceiver (with its own sending track).
    public var capabilitiesByMid: [String: MediaCapabilities] = [:]
    /// Whether to accept a data channel (`m=application … webrtc-datachannel`) section.
    public var acceptsDataChannel: Bool
    /// The `o=` session id.
    public var sessionID: UInt64
    /// The `o=` session version.
    public var sessionVersion: UInt64
    /// `a=ice-options` tokens; `trickle` by default.
    public var iceOptions: [String]
    /// Candidates already gathered, written in the first accepted media section.
    public var candidates: [ICECandidate]
    /// Whether to write `a=end-of-candidates` in the first accepted media section.
    public var endOfCandidates: Bool

    /// Creates answer options; the session id defaults to a random number.
    public init(
        iceCredentials: ICECredentials, fingerprint: Fingerprint, setup: SetupRole = .active,
        audio: MediaCapabilities? = nil, video: MediaCapabilities? = nil, acceptsDataChannel: Bool = false,
        sessionID: UInt64 = UInt64.random(in: 1...UInt64(Int64.max)), sessionVersion: UInt64 = 2,
        iceOptions: [String] = ["trickle"], candidates: [ICECandidate] = [], endOfCandidates: Bool = false
    ) {
        self.iceCredentials = iceCredentials
        self.fingerprint = fingerprint
        self.setup = setup
        self.audio = audio
        self.video = video
        self.acceptsDataChannel = acceptsDataChannel
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.iceOptions = iceOptions
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
    }
}

/// What the answerer can do for one media kind.
public struct MediaCapabilities: Sendable, Hashable {
    /// The codecs it supports, in preference order.
    public var codecs: [CodecCapability]
    /// What it wishes to do; the answer's direction is this intersected with the offer's
    /// (see ``Direction/answering(offered:)``).
    public var direction: Direction
    /// URIs of the header extensions it supports; offered extmaps with other URIs are dropped.
    public var headerExtensionURIs: [String]
    /// The track it sends: for per-kind capabilities, in the first accepted
    /// m-line of this kind whose answer direction sends; for
    /// ``AnswerOptions/capabilitiesByMid``, in that mid's m-line.
    public var sendingTrack: SendingTrack?

    /// Creates media capabilities. By default only the `sdes:mid` header
    /// extension is accepted (BUNDLE demultiplexing needs it).
    public init(
        codecs: [CodecCapability], direction: Direction,
        headerExtensionURIs: [String] = [RTPHeaderExtension.midURI], sendingTrack: SendingTrack? = nil
    ) {
        self.codecs = codecs
        self.direction = direction
        self.headerExtensionURIs = headerExtensionURIs
        self.sendingTrack = sendingTrack
    }
}

/// A codec the answerer supports, matched against offered codecs by name
/// (case-insensitive), clock rate, channel count and required format parameters.
public struct CodecCapability: Sendable, Hashable {
    /// The encoding name, such as `VP8`, `opus` or `rtx`.
    public var name: String
    /// The clock rate in Hz.
    public var clockRate: UInt32
    /// The channel count to require, or nil to accept any.
    public var channels: Int?
    /// Format parameters an offered codec must carry with these values
    /// (such as `packetization-mode=1` for H264); empty accepts any.
    public var requiredParameters: [String: String]
    /// The RTCP feedback it supports; the answer echoes the offered feedback
    /// of a codec that is in this list and drops the rest.
    public var feedback: [RTCPFeedback]

    /// Creates a codec capability.
    public init(name: String, clockRate: UInt32, channels: Int? = nil, requiredParameters: [String: String] = [:], feedback: [RTCPFeedback] = []) {
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.requiredParameters = requiredParameters
        self.feedback = feedback
    }

    /// VP8/90000 with `nack`, `nack pli` and `ccm fir` (what an RTP stack with
    /// NACK, PLI and FIR handles; pass `.remb` or `.transportCC` too only if you
    /// send that feedback).
    public static func vp8(feedback: [RTCPFeedback] = [.nack, .pli, .fir]) -> CodecCapability {
        CodecCapability(name: "VP8", clockRate: 90000, feedback: feedback)
    }

    /// opus/48000/2 without feedback.
    public static func opus(feedback: [RTCPFeedback] = []) -> CodecCapability {
        CodecCapability(name: "opus", clockRate: 48000, channels: 2, feedback: feedback)
    }

    /// RTX (RFC 4588) at the given clock rate: accepts each offered `rtx`
    /// payload type whose `apt` names an accepted codec.
    public static func rtx(clockRate: UInt32 = 90000) -> CodecCapability {
        CodecCapability(name: "rtx", clockRate: clockRate)
    }

    /// Whether an offered codec matches this capability.
    public func matches(_ codec: RTPCodec) -> Bool {
        guard codec.name.lowercased() == name.lowercased(), codec.clockRate == clockRate else { return false }
        if let channels, (codec.channels ?? 1) != channels { return false }
        for (key, value) in requiredParameters where codec.parameter(key) != value { return false }
        return true
    }
}
