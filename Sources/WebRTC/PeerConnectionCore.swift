public import CongestionControl
public import ICEKit
public import Logging
public import RTPKit
import SDPKit
public import SecureTransport
public import WebRTCTypes

/// One peer connection as a sans-IO state machine, in three parts that
/// each have their own files:
///
/// - **transport** (`Transport/`): ICE, DTLS, SRTP and the demultiplexer
///   (RFC 7983) over one UDP 5-tuple (BUNDLE and rtcp-mux always);
/// - **JSEP** (`JSEP/`): descriptions, offer/answer and renegotiation,
///   which set every payload type, extension id, SSRC, mid and direction;
/// - **media** (`Media/`): a table of transceivers by mid, with their
///   send and receive streams by SSRC, and RTCP.
///
/// It never opens a socket, starts a task or reads the clock. The owner feeds
/// it datagrams and time and drains what it produces:
///
/// ```swift
/// core.handle(datagram: bytes, from: remote, to: local, at: now)
/// core.handleTimeout(at: now)
/// while let transmit = core.pollTransmit() { socket.send(transmit) }
/// while let event = core.pollEvent() { ... }
/// core.nextTimeout()
/// ```
///
/// `PeerConnection` drives it over a real UDP socket; tests drive two of them
/// over a simulated network on virtual time.
public final class PeerConnectionCore {
    /// One datagram to send.
    public struct Transmit: Sendable, Hashable {
        /// The bytes.
        public var bytes: [UInt8]
        /// The local address to send from (the socket's).
        public var source: ICETransportAddress
        /// Where to send it.
        public var destination: ICETransportAddress
        /// Whether the bytes go on the driver's TCP or TLS stream to the
        /// TURN server at `destination` rather than in a UDP datagram.
        public var stream = false
    }

    /// JSEP's signalling state.
    public enum SignalingState: String, Sendable, Hashable {
        /// No offer is outstanding.
        case stable
        /// We made an offer and wait for the answer.
        case haveLocalOffer = "have-local-offer"
        /// We received an offer and owe an answer.
        case haveRemoteOffer = "have-remote-offer"
        /// The connection is closed.
        case closed
    }

    /// Settings fixed at creation.
    public struct Configuration {
        /// The DTLS certificate (a fresh ECDSA P-256 one by default).
        public var certificate: DTLSCertificate
        /// ICE timing and limits.
        public var ice: ICEConfiguration
        /// STUN servers to learn server-reflexive candidates from (RFC 8489 Binding).
        public var stunServers: [ICETransportAddress]
        /// TURN servers to allocate relayed candidates on (RFC 8656).
        public var turnServers: [TURNServer]
        /// Timers and limits of the TURN clients.
        public var turn: TURNClientConfiguration
        /// Which candidates ICE may use; `.relay` offers and checks relayed ones only.
        public var iceTransportPolicy: ICETransportPolicy
        /// The codecs this side can send and receive, in preference order.
        public var codecs: [MediaCodec]
        /// The largest RTP packet sent, before SRTP's tag.
        public var maxPacketSize: Int
        /// How often RTCP reports go out.
        public var rtcpInterval: Duration
        /// Key-frame requests (PLI, FIR) from the remote side closer together
        /// than this are ignored, so a peer cannot make us send key frames
        /// back to back.
        public var keyFrameRequestInterval: Duration
        /// The least time between two PLIs this side sends for one stream.
        public var pictureLossIndicationInterval: Duration
        /// The bounds and start of the send-side bandwidth estimate.
        public var bandwidth: SendSideBandwidthEstimator.Configuration
        /// The library that protects and unprotects media (SRTP and SRTCP).
        public var srtpBackend: SRTPBackend
        /// Where the core logs.
        public var logger: Logger

        /// Creates a configuration.
        public init(
            certificate: DTLSCertificate, ice: ICEConfiguration = ICEConfiguration(), stunServers: [ICETransportAddress] = [],
            turnServers: [TURNServer] = [], turn: TURNClientConfiguration = TURNClientConfiguration(),
            iceTransportPolicy: ICETransportPolicy = .all,
            codecs: [MediaCodec] = [.opus, .vp8],
            maxPacketSize: Int = 1200, rtcpInterval: Duration = .seconds(1),
            keyFrameRequestInterval: Duration = .milliseconds(200), pictureLossIndicationInterval: Duration = .milliseconds(500),
            bandwidth: SendSideBandwidthEstimator.Configuration = SendSideBandwidthEstimator.Configuration(),
            srtpBackend: SRTPBackend = .default,
            logger: Logger = Logger(label: "webrtc.peer-connection")
        ) {
            self.certificate = certificate
            self.ice = ice
            self.stunServers = stunServers
            self.turnServers = turnServers
            self.turn = turn
            self.iceTransportPolicy = iceTransportPolicy
            self.codecs = codecs
            self.maxPacketSize = maxPacketSize
            self.rtcpInterval = rtcpInterval
            self.keyFrameRequestInterval = keyFrameRequestInterval
            self.pictureLossIndicationInterval = pictureLossIndicationInterval
            self.bandwidth = bandwidth
            self.srtpBackend = srtpBackend
            self.logger = logger
        }
    }

    /// What the core reports to its driver, in order.
    public enum Event: Sendable {
        /// A local ICE candidate to send to the remote peer (trickle ICE).
        case localCandidate(RTCIceCandidate)
        /// No more local candidates will come.
        case endOfLocalCandidates
        /// The ICE agent's state changed.
        case iceConnectionStateChanged(ICEConnectionState)
        /// The connection's overall state changed.
        case connectionStateChanged(PeerConnectionState)
        /// A transceiver was added or changed: a new offer is needed.
        case negotiationNeeded
        /// The remote side's media appeared on a transceiver.
        case remoteTrack(RemoteTrackInfo)
        /// The remote side stopped sending on a transceiver (renegotiation).
        case remoteTrackEnded(mid: String)
        /// A complete encoded frame arrived.
        case frameReceived(ReceivedFrame)
        /// The remote side asked for a key frame on this transceiver (PLI or FIR).
        case keyFrameRequested(mid: String)
        /// The remote side stopped answering consent checks for 30 s (RFC
        /// 7675): no RTP or RTCP goes out any more, and the connection fails.
        case consentExpired
    }

    let configuration: Configuration
    var logger: Logger { configuration.logger }

    // MARK: JSEP state
    /// JSEP's signalling state.
    public internal(set) var signalingState = SignalingState.stable
    var localDescription: SDPKit.SessionDescription?
    var remoteDescription: SDPKit.SessionDescription?
    /// The ICE credentials of the newest ICE generation (new ones after a restart).
    var localCredentials = ICEKit.ICECredentials.random()
    /// Credentials made by `createOffer(iceRestart: true)`, in force once that offer is set.
    var offeredRestartCredentials: ICEKit.ICECredentials?
    var pendingRemoteCandidates: [RTCIceCandidate] = []
    var bundleMid: String?
    var sessionVersion: UInt64 = 1
    let sessionID = UInt64.random(in: 1...UInt64(Int64.max))
    /// The mids createOffer gave new transceivers, by transceiver id, until the offer is set.
    var pendingOfferMids: [String: Int] = [:]
    /// Set when a transceiver changed since the last offer; cleared by one.
    var negotiationNeeded = false

    // MARK: Transport state
    var ice: ICEAgent?
    /// The agent of a new ICE generation during a restart (RFC 8445 9):
    /// it checks while `ice` keeps carrying media, and replaces it once it
    /// selects a pair.
    var nextICE: ICEAgent?
    /// Set when the new generation's candidates wait for the restart's
    /// offer to be set (ours) or for our answer (the peer's restart).
    var restartCandidatesPending = false
    /// Set when consent expired (during a restart, the old generation's): no
    /// media until a new generation selects a pair.
    var consentLost = false
    /// The round trip in use (see `currentRoundTrip`).
    var roundTripEstimate: Duration = .milliseconds(100)
    var localAddresses: [ICETransportAddress] = []
    var localCandidatesAnnounced = false
    var gatheringFinished = false
    var dtls: DTLSEndpoint?
    var dtlsRole: DTLSRole?
    var dtlsRemote: ICETransportAddress?
    var remoteFingerprintValue: DTLSFingerprint?
    var srtpOutbound: SRTPSession?
    var srtpInbound: SRTPSession?
    /// The TURN allocations, one per configured server.
    var relays: [RelayAllocation] = []
    /// The time of the latest input (datagram or timer).
    var lastInput: ContinuousClock.Instant?
    /// The connection's overall state.
    public internal(set) var connectionState = PeerConnectionState.new
    /// The ICE agent's state.
    public internal(set) var iceConnectionState = ICEConnectionState.new

    // MARK: Media state
    var media = MediaTable()
    var receiveOutput = ReceiveOutput()
    var lipSync = LipSync()
    var nextRTCP: ContinuousClock.Instant?
    /// The instant the media clock (capture times, RTP timestamps) counts from.
    var clockAnchor: ContinuousClock.Instant?
    let ntpAnchor: NTPTimestamp
    let rtcpCNAME = "swift-webrtc-" + String(UInt32.random(in: .min ... .max), radix: 16)
    let localRTCPSSRC = UInt32.random(in: 1 ... .max)
    /// Per sending SSRC: the last FIR sequence number seen and the last key-frame request let through.
    var keyFrameRequestState: [UInt32: (firSequence: UInt8?, last: ContinuousClock.Instant?)] = [:]
    var rtcpPacketsSent = 0
    /// Whether `a=rtcp-rsize` was negotiated (RFC 5506): feedback may then
    /// go alone; otherwise every RTCP packet is a compound starting with a
    /// report and carrying the CNAME.
    var reducedSizeRTCP = false
    var rtcpPacketsReceived = 0

    // MARK: Congestion control state
    /// The next transport-wide sequence number a sent packet carries.
    var transportSequenceNumber = UInt16.random(in: .min ... .max)
    /// What the path carries, from the remote side's feedback.
    var bandwidthEstimator: SendSideBandwidthEstimator
    /// Arrivals of the remote side's packets, for the feedback we send.
    var feedbackRecorder = TransportFeedbackRecorder()
    /// When the next transport-wide feedback goes out, while arrivals wait to be reported.
    var nextTransportFeedback: ContinuousClock.Instant?
    /// The SSRC named in our feedback: the latest remote stream that carried a transport-wide sequence number.
    var transportFeedbackMediaSSRC: UInt32 = 0
    /// The transport-wide sequence number's extension id on this BUNDLE transport, once negotiated.
    var transportWideExtensionID: UInt8?
    var transportFeedbackSent = 0
    var transportFeedbackReceivedCount = 0
    var receiverEstimatesReceived = 0
    /// Every RTP packet leaves through it.
    var pacer: Pacer<PacedPacket>
    /// What left, for the statistics and the split between the encoders.
    var sentBitrate = BitrateMeter()
    /// The audio that left.
    var sentAudioBitrate = BitrateMeter()
    /// The retransmissions and probe padding that left.
    var sentRepairBitrate = BitrateMeter()

    // MARK: Output queues
    var transmits: [Transmit] = []
    var events: [Event] = []
    var transmitIndex = 0
    var eventIndex = 0

    /// Creates a connection.
    ///
    /// - Parameters:
    ///   - configuration: Certificate, ICE and media settings.
    ///   - wallClock: The current wall-clock time as an NTP timestamp, used
    ///     only to stamp RTCP sender reports (the core never reads a clock).
    ///   - clockAnchor: The monotonic instant at which `wallClock` was read;
    ///     when `nil`, the first input's `now` is taken.
    public init(configuration: Configuration, wallClock: NTPTimestamp = NTPTimestamp(rawValue: 0), clockAnchor: ContinuousClock.Instant? = nil) {
        self.configuration = configuration
        self.ntpAnchor = wallClock
        self.clockAnchor = clockAnchor
        bandwidthEstimator = SendSideBandwidthEstimator(configuration: configuration.bandwidth)
        pacer = Pacer(targetBitrate: configuration.bandwidth.startBitrate)
    }

    /// The SHA-256 fingerprint of this connection's certificate, as in SDP.
    public var fingerprint: DTLSFingerprint { configuration.certificate.fingerprint }

    /// The addresses of the socket(s) this connection sends from; each
    /// becomes a host candidate once the local description is set.
    public func addLocalAddress(_ address: ICETransportAddress) {
        guard !localAddresses.contains(address) else { return }
        localAddresses.append(address)
        if localCandidatesAnnounced, configuration.iceTransportPolicy == .all { announce(address) }
    }

    // MARK: Polling

    /// The next datagram to send, if any.
    public func pollTransmit() -> Transmit? {
        while transmitIndex < transmits.count {
            let transmit = transmits[transmitIndex]
            transmitIndex += 1
            // What leaves a relayed address goes through its TURN client,
            // which queues the wrapped message at the end.
            if relays.isEmpty || !wrapRelayed(transmit) { return transmit }
        }
        transmits.removeAll(keepingCapacity: true)
        transmitIndex = 0
        return nil
    }

    /// The next event, if any.
    public func pollEvent() -> Event? {
        guard eventIndex < events.count else {
            events.removeAll(keepingCapacity: true)
            eventIndex = 0
            return nil
        }
        defer { eventIndex += 1 }
        return events[eventIndex]
    }

    /// When `handleTimeout(at:)` must be called next.
    public func nextTimeout() -> ContinuousClock.Instant? {
        // Called after every input: folded without building an array.
        var earliest = earlier(ice?.nextTimeout(), nextICE?.nextTimeout())
        earliest = earlier(earliest, dtls?.nextTimeout())
        earliest = earlier(earliest, nextRTCP)
        earliest = earlier(earliest, nextTransportFeedback)
        earliest = earlier(earliest, nextPacerWake)
        if !relays.isEmpty { earliest = earlier(earliest, nextRelayTimeout) }
        return earlier(earliest, nextReceiveDeadline)
    }

    func emit(_ event: Event) {
        events.append(event)
    }

    func setConnectionState(_ state: PeerConnectionState) {
        guard connectionState != state, connectionState != .closed else { return }
        connectionState = state
        emit(.connectionStateChanged(state))
    }

    /// Closes the connection: DTLS close_notify, ICE stops; nothing more is sent after what is queued.
    public func close(at now: ContinuousClock.Instant) {
        guard connectionState != .closed else { return }
        dtls?.close()
        drainDTLS(at: now)
        tearDownTransport()
    }

    /// Stops ICE and RTCP; the connection is closed for good.
    func tearDownTransport() {
        if let now = lastInput { closeAllocations(at: now) }
        ice?.close()
        nextICE?.close()
        nextRTCP = nil
        srtpOutbound = nil
        srtpInbound = nil
        signalingState = .closed
        setConnectionState(.closed)
    }
}

/// The earlier of two optional instants (nil is never).
func earlier(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> ContinuousClock.Instant? {
    guard let a else { return b }
    guard let b else { return a }
    return min(a, b)
}
