/// What ``JSEP/createOffer(_:)`` puts in an offer.
public struct OfferOptions: Sendable, Hashable {
    /// The local ICE credentials, written in every media section.
    public var iceCredentials: ICECredentials
    /// The local DTLS certificate fingerprint (SHA-256), written in every media section.
    public var fingerprint: Fingerprint
    /// The DTLS role; an initial offer says `actpass` (RFC 8842).
    public var setup: SetupRole
    /// The media sections to offer, in order.
    public var media: [OfferedMedia]
    /// The `o=` session id.
    public var sessionID: UInt64
    /// The `o=` session version; bump it for every new offer of the same session.
    public var sessionVersion: UInt64
    /// `a=ice-options` tokens; `trickle` by default.
    public var iceOptions: [String]
    /// Candidates already gathered, written in the first media section (empty when trickling).
    public var candidates: [ICECandidate]
    /// Whether to write `a=end-of-candidates` in the first media section.
    public var endOfCandidates: Bool

    /// Creates offer options; the session id defaults to a random number.
    public init(
        iceCredentials: ICECredentials, fingerprint: Fingerprint, setup: SetupRole = .actpass, media: [OfferedMedia],
        sessionID: UInt64 = UInt64.random(in: 1...UInt64(Int64.max)), sessionVersion: UInt64 = 2,
        iceOptions: [String] = ["trickle"], candidates: [ICECandidate] = [], endOfCandidates: Bool = false
    ) {
        self.iceCredentials = iceCredentials
        self.fingerprint = fingerprint
        self.setup = setup
        self.media = media
        self.sessionID = sessionID
        self.sessionVersion = sessionVersion
        self.iceOptions = iceOptions
        self.candidates = candidates
        self.endOfCandidates = endOfCandidates
    }
}

/// One media section of an offer.
public struct OfferedMedia: Sendable, Hashable {
    /// `audio`, `video` or `application` (a data channel section).
    public var kind: MediaKind
    /// The mid, unique in the offer.
    public var mid: String
    /// What this side wants to do.
    public var direction: Direction
    /// The codecs with their payload types, feedback and format parameters, in preference order.
    public var codecs: [RTPCodec]
    /// The header extensions to offer.
    public var headerExtensions: [RTPHeaderExtension]
    /// The track sent in this section, when the direction sends.
    public var sendingTrack: SendingTrack?
    /// Whether the section only holds the place of an m-line that was
    /// rejected or stopped (written with port 0, left out of BUNDLE): a
    /// subsequent offer keeps every m-line of the session, in order.
    public var isRejected = false

    /// Creates an offered media section.
    public init(
        kind: MediaKind, mid: String, direction: Direction = .sendrecv, codecs: [RTPCodec] = [],
        headerExtensions: [RTPHeaderExtension] = [RTPHeaderExtension(id: 1, uri: RTPHeaderExtension.midURI)],
        sendingTrack: SendingTrack? = nil
    ) {
        self.kind = kind
        self.mid = mid
        self.direction = direction
        self.codecs = codecs
        self.headerExtensions = headerExtensions
        self.sendingTrack = sendingTrack
    }

    /// A data channel section (`m=application … UDP/DTLS/SCTP webrtc-datachannel`).
    public static func dataChannel(mid: String) -> OfferedMedia {
        OfferedMedia(kind: .application, mid: mid, headerExtensions: [])
    }

    /// The place of a rejected or stopped m-line of `kind` in a subsequent offer.
    public static func rejected(kind: MediaKind, mid: String, codecs: [RTPCodec] = []) -> OfferedMedia {
        var media = OfferedMedia(kind: kind, mid: mid, direction: .inactive, codecs: codecs, headerExtensions: [])
        media.isRejected = true
        return media
    }
}
