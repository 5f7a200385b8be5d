public import SecureTransport

/// Counters of one connection, as a user of `getStats()` would read them:
/// one entry per sending and per receiving stream, the totals over them,
/// and the audio/video offset the receiver measured.
public struct PeerConnectionStatistics: Sendable, Hashable {
    /// One entry per sending stream (`outbound-rtp`).
    public var outbound: [OutboundStreamStatistics] = []
    /// One entry per receiving stream (`inbound-rtp`).
    public var inbound: [InboundStreamStatistics] = []
    /// RTCP packets sent.
    public var rtcpPacketsSent = 0
    /// RTCP packets received.
    public var rtcpPacketsReceived = 0
    /// How much later video arrives than audio captured at the same instant
    /// (positive: video lags), from the sender reports' clock mapping
    /// (RFC 3550 6.4.1), smoothed; `nil` until both kinds have been received
    /// with sender reports.
    public var audioVideoOffset: Duration?
    /// Frames decoded by the remote tracks (filled in by `PeerConnection`).
    public var framesDecoded = 0
    /// The round trip on the selected candidate pair, from ICE's consent
    /// checks (W3C's `currentRoundTripTime`); it paces NACKs and retransmissions.
    public var currentRoundTripTime: Duration?
    /// The send-side bandwidth estimate and the feedback behind it
    /// (`targetBitrate` is W3C's `availableOutgoingBitrate`).
    public var bandwidth: BandwidthEstimate?
    /// The SRTP protection profile DTLS negotiated (W3C's `srtpCipher`); `nil`
    /// until the handshake is done.
    public var srtpProfile: SRTPProtectionProfile?
    /// The library protecting and unprotecting the media; `nil` until the
    /// handshake is done.
    public var srtpBackend: SRTPBackend?
    /// Missing packets that arrived after a NACK asked for them.
    public var packetsRecovered: Int { inbound.reduce(0) { $0 + $1.packetsRecovered } }

    /// Creates empty counters.
    public init() {}

    /// The sending stream of one kind (the first, when there are several).
    public func outbound(_ kind: TrackKind) -> OutboundStreamStatistics? { outbound.first { $0.kind == kind } }
    /// The receiving stream of one kind (the first, when there are several).
    public func inbound(_ kind: TrackKind) -> InboundStreamStatistics? { inbound.first { $0.kind == kind } }

    /// RTP packets sent, all streams.
    public var packetsSent: Int { outbound.reduce(0) { $0 + $1.packetsSent } }
    /// RTP bytes sent (before SRTP), all streams.
    public var bytesSent: Int { outbound.reduce(0) { $0 + $1.bytesSent } }
    /// Video frames sent.
    public var framesSent: Int { outbound.filter { $0.kind == .video }.reduce(0) { $0 + $1.framesSent } }
    /// Key frames sent.
    public var keyFramesSent: Int { outbound.reduce(0) { $0 + $1.keyFramesSent } }
    /// RTP packets received and accepted, all streams.
    public var packetsReceived: Int { inbound.reduce(0) { $0 + $1.packetsReceived } }
    /// RTP bytes received (after SRTP), all streams.
    public var bytesReceived: Int { inbound.reduce(0) { $0 + $1.bytesReceived } }
    /// Complete video frames assembled from RTP.
    public var framesReceived: Int { inbound.filter { $0.kind == .video }.reduce(0) { $0 + $1.framesReceived } }
    /// Video frames the depacketizer dropped as incomplete.
    public var framesDropped: Int { inbound.reduce(0) { $0 + $1.framesDropped } }
    /// Packets lost on the way here (RFC 3550 cumulative loss), all streams.
    public var packetsLost: Int { inbound.reduce(0) { $0 + $1.packetsLost } }
    /// Key-frame requests (PLI, or FIR) this side sent.
    public var keyFrameRequestsSent: Int { inbound.reduce(0) { $0 + $1.pliCount + $1.firCount } }
    /// Key-frame requests (PLI, FIR) this side received, throttled ones included.
    public var keyFrameRequestsReceived: Int { outbound.reduce(0) { $0 + $1.pliCount + $1.firCount } }
    /// NACKs this side sent.
    public var nacksSent: Int { inbound.reduce(0) { $0 + $1.nacksSent } }
    /// NACKs received for our streams.
    public var nacksReceived: Int { outbound.reduce(0) { $0 + $1.nacksReceived } }
    /// Packets sent again in answer to NACKs.
    public var packetsRetransmitted: Int { outbound.reduce(0) { $0 + $1.packetsRetransmitted } }
    /// Packets of our streams the remote receiver reports lost.
    public var remotePacketsLost: Int { outbound.reduce(0) { $0 + $1.remotePacketsLost } }
    /// The round-trip time from the latest RTCP report block, if known.
    public var roundTripTime: Duration? { outbound.compactMap(\.roundTripTime).first }
}
