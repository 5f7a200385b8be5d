public import ICEKit
public import Logging
public import RTPKit
import SDPKit
public import SecureTransport

/// One peer connection as a sans-IO state machine: JSEP (offer/answer), ICE,
/// DTLS-SRTP, and RTP/RTCP for one video track each way, over one UDP
/// 5-tuple (BUNDLE and rtcp-mux always).
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
        /// The largest RTP packet sent, before SRTP's tag.
        public var maxPacketSize: Int
        /// How often RTCP reports go out.
        public var rtcpInterval: Duration
        /// Whether a remote video track is accepted and received.
        public var receivesVideo: Bool
        /// Where the core logs.
        public var logger: Logger

        /// Creates a configuration.
        public init(
            certificate: DTLSCertificate, ice: ICEConfiguration = ICEConfiguration(), maxPacketSize: Int = 1200,
            rtcpInterval: Duration = .seconds(1), receivesVideo: Bool = true,
            logger: Logger = Logger(label: "webrtc.peer-connection")
        ) {
            self.certificate = certificate
            self.ice = ice
            self.maxPacketSize = maxPacketSize
            self.rtcpInterval = rtcpInterval
            self.receivesVideo = receivesVideo
            self.logger = logger
        }
    }

    let configuration: Configuration
    var logger: Logger { configuration.logger }

    // MARK: JSEP state
    public internal(set) var signalingState = SignalingState.stable
    var localDescription: SessionDescription?
    var remoteDescription: SessionDescription?
    let localCredentials = ICEKit.ICECredentials.random()
    var pendingRemoteCandidates: [RTCIceCandidate] = []
    var sendingTrack: SendingTrack?
    var videoMid: String?
    var bundleMid: String?

    // MARK: Transport state
    var ice: ICEAgent?
    var localAddresses: [ICETransportAddress] = []
    var localCandidatesAnnounced = false
    var dtls: DTLSEndpoint?
    var dtlsRole: DTLSRole?
    var dtlsRemote: ICETransportAddress?
    var remoteFingerprintValue: DTLSFingerprint?
    var srtpOutbound: SRTPSession?
    var srtpInbound: SRTPSession?
    public internal(set) var connectionState = PeerConnectionState.new
    public internal(set) var iceConnectionState = ICEConnectionState.new

    // MARK: Media state
    var videoSend: VideoSendStream?
    var videoReceive: VideoReceiveStream?
    var firstReceivedTimestamp: Int64?
    var timestampUnwrapper = TimestampUnwrapper()
    var nextRTCP: ContinuousClock.Instant?
    var clockAnchor: ContinuousClock.Instant?
    let ntpAnchor: NTPTimestamp
    let rtcpCNAME = "swift-webrtc-" + String(UInt32.random(in: .min ... .max), radix: 16)
    let localRTCPSSRC = UInt32.random(in: 1 ... .max)

    // MARK: Output queues
    var transmits: [Transmit] = []
    var events: [PeerConnectionEvent] = []
    var transmitIndex = 0
    var eventIndex = 0
    public internal(set) var statistics = PeerConnectionStatistics()

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
        if configuration.receivesVideo {
            videoReceive = VideoReceiveStream(localSSRC: localRTCPSSRC, cname: rtcpCNAME)
        }
    }

    /// The SHA-256 fingerprint of this connection's certificate, as in SDP.
    public var fingerprint: DTLSFingerprint { configuration.certificate.fingerprint }

    /// The addresses of the socket(s) this connection sends from; each
    /// becomes a host candidate once the local description is set.
    public func addLocalAddress(_ address: ICETransportAddress) {
        guard !localAddresses.contains(address) else { return }
        localAddresses.append(address)
        if localCandidatesAnnounced { announce(address) }
    }

    /// Adds a video track this side sends. Call before `createOffer` or `createAnswer`.
    public func addVideoTrack(streamID: String = "swift-webrtc", trackID: String = "video0") {
        let ssrc = UInt32.random(in: 1 ... .max)
        sendingTrack = SendingTrack(streamID: streamID, trackID: trackID, ssrc: ssrc, cname: rtcpCNAME)
        videoSend = VideoSendStream(ssrc: ssrc, cname: rtcpCNAME, payloadType: 96, maxPacketSize: configuration.maxPacketSize)
    }

    // MARK: Polling

    /// The next datagram to send, if any.
    public func pollTransmit() -> Transmit? {
        guard transmitIndex < transmits.count else {
            transmits.removeAll(keepingCapacity: true)
            transmitIndex = 0
            return nil
        }
        defer { transmitIndex += 1 }
        return transmits[transmitIndex]
    }

    /// The next event, if any.
    public func pollEvent() -> PeerConnectionEvent? {
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
        [ice?.nextTimeout(), dtls?.nextTimeout(), nextRTCP].compactMap { $0 }.min()
    }

    func emit(_ event: PeerConnectionEvent) {
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
        ice?.close()
        nextRTCP = nil
        srtpOutbound = nil
        srtpInbound = nil
        signalingState = .closed
        setConnectionState(.closed)
    }
}
