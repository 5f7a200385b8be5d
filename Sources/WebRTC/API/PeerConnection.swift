public import CodecBridge
public import ICEKit
@_exported public import WebRTCTypes
import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import RTPKit
import SecureTransport
import Synchronization

/// A WebRTC peer connection, used the way a W3C `RTCPeerConnection` user
/// expects:
///
/// ```swift
/// let pc = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
/// let video = try await pc.addVideoTrack(.init(width: 640, height: 480))   // VP8, or addTrack(anyVideoEncoder)
/// let audio = try await pc.addAudioTrack()                                 // Opus, or addTrack(anyAudioEncoder)
/// let offer = try await pc.createOffer()
/// try await pc.setLocalDescription(offer)        // then send offer.sdp to the peer
/// try await pc.setRemoteDescription(answer)      // the peer's answer
/// try await pc.addIceCandidate(candidate)        // each trickled candidate
/// for await event in pc.events { ... }           // candidates, state, .track(RemoteTrack), negotiationNeeded
/// try await video.send(frame)                    // raw I420 frames
/// try await audio.send(pcm)                      // 20 ms of PCM
/// ```
///
/// One UDP 5-tuple carries everything once ICE has chosen it (BUNDLE,
/// rtcp-mux), demultiplexed by first byte (RFC 7983). Bound to the wildcard
/// address without explicit candidate addresses, the connection opens one
/// socket per interface address, IPv4 and IPv6, each a host candidate, so
/// that replies leave from the address their request came to. The connection is an actor whose executor is its
/// socket's event loop, so the per-packet path runs without an actor hop or
/// task creation; all protocol work happens in the sans-IO `PeerConnectionCore`.
///
/// Everything it hands out is bounded: `events` keeps at most
/// ``bufferedEvents`` events for a consumer that does not read them (the
/// oldest are dropped), and each remote track keeps a bounded number of
/// decoded frames (see ``RemoteVideoTrack`` and ``RemoteAudioTrack``). A
/// connection dropped without `close()` releases its socket, timer, tasks
/// and decoders.
public actor PeerConnection {
    nonisolated let eventLoop: any EventLoop
    /// The connection runs on its socket's event loop.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        eventLoop.executor.asUnownedSerialExecutor()
    }

    /// How many events wait for a consumer that does not read them.
    public static let bufferedEvents = 1024
    /// How many encoded frames of one remote track wait for its decoder.
    static let bufferedEncodedFrames = 64

    /// Candidates, state changes, remote tracks and negotiation requests, in order. Finishes on `close()`.
    public nonisolated let events: AsyncStream<PeerConnectionEvent>

    private let core: PeerConnectionCore
    private let configuration: PeerConnectionConfiguration
    private let eventsContinuation: AsyncStream<PeerConnectionEvent>.Continuation
    /// The sockets: one bound to the configured address, or, when that is
    /// the wildcard and no candidate addresses are given, one per interface
    /// address (IPv4 and IPv6), so that every reply leaves from the address
    /// its request came to.
    private var sockets: [UDPSocket] = []
    /// Each socket by its local address, the source the core sends from.
    private var socketBySource: [ICETransportAddress: UDPSocket] = [:]
    /// The TCP or TLS connections to TURN servers, by server address.
    private var turnStreams: [ICETransportAddress: TURNStream] = [:]
    private var timer: Scheduled<Void>?
    private var timerDeadline: ContinuousClock.Instant?
    private var videoTracks: [Int: LocalVideoTrack] = [:]
    /// Where each remote track's encoded frames go, by mid.
    private var remoteFeeds: [String: AsyncStream<ReceivedFrame>.Continuation] = [:]
    private var remoteTracks: [String: RemoteTrack] = [:]
    private var logger: Logger { configuration.logger }
    /// Lets the decoding tasks reach the connection without keeping it alive.
    private nonisolated let owner = WeakConnection()

    private init(
        configuration: PeerConnectionConfiguration, eventLoop: any EventLoop, certificate: DTLSCertificate,
        stunServers: [ICETransportAddress], turnServers: [TURNServer]
    ) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        // The wall clock and the monotonic clock are read together, so that
        // RTCP sender reports carry the right NTP time.
        let unixNow = Date().timeIntervalSince1970
        self.core = PeerConnectionCore(
            configuration: .init(
                certificate: certificate, ice: configuration.ice, stunServers: stunServers, turnServers: turnServers,
                turn: configuration.turn, iceTransportPolicy: configuration.iceTransportPolicy, codecs: configuration.codecs,
                srtpBackend: configuration.srtpBackend, logger: configuration.logger),
            wallClock: NTPTimestamp(
                unixSeconds: Int64(unixNow), nanoseconds: UInt32((unixNow - unixNow.rounded(.down)) * 1e9)),
            clockAnchor: .now)
        (events, eventsContinuation) = AsyncStream.makeStream(
            of: PeerConnectionEvent.self, bufferingPolicy: .bufferingNewest(Self.bufferedEvents))
    }

    /// Creates a connection and binds its UDP socket.
    ///
    /// - Throws: `PeerConnectionError` `.transportFailed` when the socket
    ///   cannot be bound, `.dtlsFailed` when no certificate can be made,
    ///   `.invalidConfiguration` for a malformed `stun:` URL.
    public static func make(configuration: PeerConnectionConfiguration = PeerConnectionConfiguration()) async throws -> PeerConnection {
        let certificate: DTLSCertificate
        do {
            certificate = try DTLSCertificate()
        } catch {
            throw PeerConnectionError(.dtlsFailed, "cannot create a certificate: \(error)")
        }
        let servers = try await configuration.iceServers.resolved()
        let connection = PeerConnection(
            configuration: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), certificate: certificate,
            stunServers: servers.stun, turnServers: servers.turn)
        connection.owner.connection = connection
        try await connection.bind()
        return connection
    }

    private func bind() async throws {
        let wildcard = ICETransportAddress(host: configuration.bindHost, port: 1)?.ip.isUnspecified ?? false
        if wildcard, configuration.candidateAddresses == nil {
            // One socket per interface address, each its own host candidate.
            for address in interfaceAddresses() {
                guard let socket = try? await bindSocket(host: address.ip.description) else {
                    logger.debug("cannot bind an interface address", metadata: ["address": "\(address.ip)"])
                    continue
                }
                core.addLocalAddress(socket.localAddress)
            }
            if !sockets.isEmpty { return }
        }
        let socket = try await bindSocket(host: configuration.bindHost)
        for address in candidateAddresses(port: socket.localAddress.port) {
            core.addLocalAddress(address)
        }
    }

    /// Binds one socket and files it by its local address.
    @discardableResult
    private func bindSocket(host: String) async throws -> UDPSocket {
        let socket: UDPSocket
        do {
            socket = try await UDPSocket.bind(host: host, port: configuration.port, on: eventLoop) {
                [weak self] buffer, source, destination in
                self?.assumeIsolated { connection in
                    connection.receive(buffer, from: source, to: destination)
                }
            }
        } catch let error as PeerConnectionError {
            throw error
        } catch {
            throw PeerConnectionError(.transportFailed, "cannot bind UDP \(host):\(configuration.port): \(error)")
        }
        sockets.append(socket)
        socketBySource[socket.localAddress] = socket
        logger.debug("bound", metadata: ["address": "\(socket.localAddress)"])
        return socket
    }

    /// The interface addresses to bind when the bind address is the wildcard:
    /// IPv4 and IPv6 (not link-local, which would need a scope), as
    /// `includeInterfaceAddress` allows.
    private func interfaceAddresses() -> [ICETransportAddress] {
        let devices = (try? System.enumerateDevices()) ?? []
        var seen = Set<ICETransportAddress>()
        return devices.compactMap { device -> ICETransportAddress? in
            guard let ip = device.address?.ipAddress, let address = ICETransportAddress(host: ip, port: 1),
                !address.ip.isUnspecified, !address.ip.isLinkLocal,
                configuration.includeInterfaceAddress(address), seen.insert(address).inserted
            else { return nil }
            return address
        }
    }

    private func candidateAddresses(port: UInt16) -> [ICETransportAddress] {
        if let explicit = configuration.candidateAddresses {
            return explicit.compactMap { ICETransportAddress(host: $0, port: port) }
        }
        if let bound = ICETransportAddress(host: configuration.bindHost, port: port), !bound.ip.isUnspecified {
            return [bound]
        }
        return []
    }

    /// The local UDP address of the connection's (first) socket.
    public var localAddress: ICETransportAddress? { sockets.first?.localAddress }

    /// The local UDP addresses of all the connection's sockets.
    public var localAddresses: [ICETransportAddress] { sockets.map(\.localAddress) }

    // MARK: Tracks and transceivers

    /// Adds a video track encoded by `encoder` (any `VideoEncoder`); it
    /// sends and receives unless `direction` says otherwise.
    public func addTrack(
        _ encoder: sending any VideoEncoder, direction: TransceiverDirection? = nil, streamID: String = "swift-webrtc"
    ) -> LocalVideoTrack {
        let id = core.addTrack(kind: .video, direction: direction, streamID: streamID)
        let track = LocalVideoTrack(encoder: encoder, transceiverID: id, connection: self)
        videoTracks[id] = track
        flush()
        return track
    }

    /// Adds an audio track encoded by `encoder` (any `AudioEncoder`); it
    /// sends and receives unless `direction` says otherwise.
    public func addTrack(
        _ encoder: sending any AudioEncoder, direction: TransceiverDirection? = nil, streamID: String = "swift-webrtc"
    ) -> LocalAudioTrack {
        let id = core.addTrack(kind: .audio, direction: direction, streamID: streamID)
        let track = LocalAudioTrack(encoder: encoder, transceiverID: id, connection: self)
        flush()
        return track
    }

    /// Adds a VP8 video track with `settings`.
    public func addVideoTrack(
        _ settings: VP8Encoder.Configuration, direction: TransceiverDirection? = nil, streamID: String = "swift-webrtc"
    ) throws -> LocalVideoTrack {
        let encoder: VP8Encoder
        do {
            encoder = try VP8Encoder(configuration: settings)
        } catch {
            throw PeerConnectionError(.mediaFailed, "cannot create the VP8 encoder: \(error)")
        }
        return addTrack(encoder, direction: direction, streamID: streamID)
    }

    /// Adds an Opus audio track with `settings` (48 kHz, 20 ms frames, mono by default).
    public func addAudioTrack(
        _ settings: OpusEncoder.Configuration = .init(), direction: TransceiverDirection? = nil, streamID: String = "swift-webrtc"
    ) throws -> LocalAudioTrack {
        let encoder: OpusEncoder
        do {
            encoder = try OpusEncoder(configuration: settings)
        } catch {
            throw PeerConnectionError(.mediaFailed, "cannot create the Opus encoder: \(error)")
        }
        return addTrack(encoder, direction: direction, streamID: streamID)
    }

    /// Adds a transceiver without a local source, such as a `recvonly` one
    /// to receive a kind of media without sending any.
    @discardableResult
    public func addTransceiver(_ kind: TrackKind, direction: TransceiverDirection) -> TransceiverInfo? {
        let id = core.addTransceiver(kind, direction: direction)
        flush()
        return core.transceivers.first { $0.id == id }
    }

    /// Changes what a transceiver wants (a new offer makes it so).
    public func setDirection(_ direction: TransceiverDirection, ofTransceiver id: Int) throws {
        try core.setDirection(direction, ofTransceiver: id)
        flush()
    }

    /// The transceivers, in m-line order, with their mids, directions and negotiated codecs.
    public var transceivers: [TransceiverInfo] { core.transceivers }

    // MARK: JSEP

    /// Creates an SDP offer.
    ///
    /// With `iceRestart`, the offer has new ICE credentials and restarts ICE
    /// once it is answered (RFC 8445 9): use it when the path was lost, for
    /// example after the network changed. Media keeps going over the current
    /// pair until the new one is selected; DTLS and SRTP go on.
    public func createOffer(iceRestart: Bool = false) throws -> RTCSessionDescription {
        try core.createOffer(iceRestart: iceRestart)
    }

    /// Whether an ICE restart is in progress (a new generation is checking).
    public var isRestartingICE: Bool { core.isRestartingICE }

    /// Creates the SDP answer to the remote offer.
    public func createAnswer() throws -> RTCSessionDescription {
        try core.createAnswer()
    }

    /// Applies this side's offer or answer; local candidates follow as events.
    public func setLocalDescription(_ description: RTCSessionDescription) throws {
        defer { flush() }
        try core.setLocalDescription(description, at: .now)
    }

    /// Applies the remote side's offer or answer (a first one or a
    /// renegotiation); one that cannot be applied throws and changes nothing.
    public func setRemoteDescription(_ description: RTCSessionDescription) throws {
        defer { flush() }
        try core.setRemoteDescription(description, at: .now)
    }

    /// Adds a trickled remote candidate (held until the remote description is set).
    public func addIceCandidate(_ candidate: RTCIceCandidate) throws {
        defer { flush() }
        try core.addIceCandidate(candidate, at: .now)
    }

    /// The connection's state.
    public var connectionState: PeerConnectionState { core.connectionState }

    /// The candidate pair media flows over, once ICE selected one: which
    /// kinds of candidates (host, srflx, prflx, relay) and protocols the call uses.
    public var selectedCandidatePair: SelectedCandidatePair? { core.selectedCandidatePair }

    /// JSEP's signalling state (`stable`, `have-local-offer`, ...).
    public var signalingState: PeerConnectionCore.SignalingState { core.signalingState }

    /// Whether a remote description was ever applied.
    public var hasRemoteDescription: Bool { core.hasRemoteDescription }

    /// Counters of what was sent and received, per stream and in total.
    public var statistics: PeerConnectionStatistics {
        var statistics = core.statistics
        for track in remoteTracks.values {
            let playout: AudioPlayoutStatistics? =
                switch track {
                case .video: nil
                case .audio(let audio): audio.statistics
                }
            let decoded: Int =
                switch track {
                case .video(let video): video.framesDecoded
                case .audio: playout?.packetsDecoded ?? 0
                }
            if track.kind == .video { statistics.framesDecoded += decoded }
            guard let index = statistics.inbound.firstIndex(where: { $0.mid == track.mid }) else { continue }
            statistics.inbound[index].framesDecoded = decoded
            if let playout {
                statistics.inbound[index].concealedSamples = playout.concealedSamples
                statistics.inbound[index].audioPlayout = playout
                statistics.inbound[index].jitterBufferDelay = playout.jitterBufferDelay
                statistics.inbound[index].jitterBufferEmittedCount = playout.jitterBufferEmittedCount
            }
        }
        return statistics
    }

    /// Closes the connection and its socket; `events` and every remote track finish.
    public func close() {
        core.close(at: .now)
        flush()
    }

    /// Releases the socket and timer and ends the streams, once the core is closed
    /// (by `close()` or by the peer's DTLS close_notify).
    private func tearDown() {
        timer?.cancel()
        timer = nil
        for socket in sockets { socket.close() }
        sockets = []
        for stream in turnStreams.values { stream.close() }
        turnStreams = [:]
        socketBySource = [:]
        eventsContinuation.finish()
        for feed in remoteFeeds.values { feed.finish() }
        remoteFeeds = [:]
    }

    deinit {
        timer?.cancel()
        for socket in sockets { socket.close() }
        eventsContinuation.finish()
        for feed in remoteFeeds.values { feed.finish() }
    }

    // MARK: Media

    /// Sends one encoded frame; says whether it went out, what the remote
    /// receiver last reported about the stream (for the encoder's loss
    /// adaptation) and the bitrate the encoder should aim at now (nil
    /// without an estimate to follow).
    func sendEncoded(
        _ data: [UInt8], isKeyFrame: Bool, captureTime: ContinuousClock.Instant, audioLevel: UInt8?, on transceiverID: Int
    ) -> (sent: Bool, lossReport: RemoteLossReport?, targetBitrate: Int?) {
        let sent = core.sendFrame(
            data, isKeyFrame: isKeyFrame, captureTime: captureTime, audioLevel: audioLevel, onTransceiver: transceiverID,
            at: .now)
        flush()
        return (sent, core.remoteLossReport(onTransceiver: transceiverID), core.encoderTargetBitrate(onTransceiver: transceiverID))
    }

    /// Lip sync: how long received audio waits in its jitter buffer.
    func setAudioPlayoutDelay(_ delay: Duration) {
        core.setAudioPlayoutDelay(delay)
    }

    /// Asks the remote sender on a transceiver for a key frame.
    public func requestKeyFrame(mid: String) {
        core.requestKeyFrame(mid: mid, at: .now)
        flush()
    }

    /// Makes the track object for the remote side's media on one transceiver.
    private func makeRemoteTrack(_ info: RemoteTrackInfo) -> RemoteTrack? {
        guard let codec = configuration.codecs.first(where: {
            $0.kind == info.kind && $0.matches(name: info.codec.name, clockRate: UInt32(info.codec.clockRate), channels: info.codec.channels)
        }) else { return nil }
        remoteFeeds[info.mid]?.finish()
        let (encoded, feed) = AsyncStream.makeStream(of: ReceivedFrame.self, bufferingPolicy: .bufferingNewest(Self.bufferedEncodedFrames))
        remoteFeeds[info.mid] = feed
        let track: RemoteTrack
        switch codec.decoding {
        case .video(let makeDecoder):
            let owner = self.owner
            let mid = info.mid
            track = .video(RemoteVideoTrack(info: info, encodedFrames: encoded, decoder: makeDecoder) {
                await owner.connection?.requestKeyFrame(mid: mid)
            })
        case .audio(let makeDecoder):
            let stereo = info.codec.formatParameters?.lowercased().contains("stereo=1") ?? false
            let owner = self.owner
            track = .audio(RemoteAudioTrack(info: info, channelCount: stereo ? 2 : 1, encodedFrames: encoded, decoder: makeDecoder) { delay in
                await owner.connection?.setAudioPlayoutDelay(delay)
            })
        }
        remoteTracks[info.mid] = track
        return track
    }

    // MARK: The driver

    private func receive(_ buffer: ByteBuffer, from source: ICETransportAddress, to destination: ICETransportAddress?) {
        guard let local = destination ?? sockets.first?.localAddress else { return }
        core.handle(datagram: Array(buffer.readableBytesView), from: source, to: local, at: .now)
        flush()
    }

    /// The stream to the TURN server at `server`, opened on first use.
    private func turnStream(to server: ICETransportAddress) -> TURNStream? {
        if let stream = turnStreams[server] { return stream }
        guard core.connectionState != .closed,
              let entry = core.configuration.turnServers.first(where: { $0.address == server && $0.transport.isStream })
        else { return nil }
        let tls = entry.transport == .tls ? configuration.turnTLS ?? TLSConfiguration.makeClientConfiguration() : nil
        let stream = TURNStream.open(
            to: server, tls: tls, serverName: entry.hostName, on: eventLoop,
            onBytes: { [weak self] buffer in
                self?.assumeIsolated { connection in
                    connection.core.handle(turnStream: Array(buffer.readableBytesView), from: server, at: .now)
                    connection.flush()
                }
            },
            onClose: { [weak self] in
                self?.assumeIsolated { connection in
                    connection.logger.debug("the stream to the TURN server closed", metadata: ["server": "\(server)"])
                    connection.core.turnStreamClosed(from: server, at: .now)
                    connection.flush()
                }
            })
        turnStreams[server] = stream
        return stream
    }

    private func timerFired() {
        timer = nil
        timerDeadline = nil
        core.handleTimeout(at: .now)
        flush()
    }

    /// Sends what the core queued, delivers its events and re-arms the timer.
    private func flush() {
        while let transmit = core.pollTransmit() {
            if transmit.stream {
                turnStream(to: transmit.destination)?.send(transmit.bytes)
            } else {
                (socketBySource[transmit.source] ?? sockets.first)?.send(transmit.bytes, to: transmit.destination)
            }
        }
        while let event = core.pollEvent() {
            switch event {
            case .frameReceived(let frame):
                remoteFeeds[frame.mid]?.yield(frame)
            case .keyFrameRequested(let mid):
                if let id = core.transceiverID(mid: mid) { videoTracks[id]?.requestKeyFrame() }
                eventsContinuation.yield(.keyFrameRequested(mid: mid))
            case .remoteTrack(let info):
                if let track = makeRemoteTrack(info) { eventsContinuation.yield(.track(track)) }
            case .remoteTrackEnded(let mid):
                remoteFeeds.removeValue(forKey: mid)?.finish()
                eventsContinuation.yield(.trackEnded(mid: mid))
            case .connectionStateChanged(let state):
                if state == .connected { for track in videoTracks.values { track.requestKeyFrame() } }
                eventsContinuation.yield(.connectionStateChanged(state))
            case .localCandidate(let candidate):
                eventsContinuation.yield(.localCandidate(candidate))
            case .endOfLocalCandidates:
                eventsContinuation.yield(.endOfLocalCandidates)
            case .iceConnectionStateChanged(let state):
                eventsContinuation.yield(.iceConnectionStateChanged(state))
            case .negotiationNeeded:
                eventsContinuation.yield(.negotiationNeeded)
            case .consentExpired:
                eventsContinuation.yield(.consentExpired)
            }
        }
        if core.connectionState == .closed {
            tearDown()
            return
        }
        armTimer()
    }

    private func armTimer() {
        guard core.connectionState != .closed, let deadline = core.nextTimeout() else {
            timer?.cancel()
            timer = nil
            return
        }
        if let current = timerDeadline, current <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        let delay = max(.zero, deadline - .now)
        let (seconds, attoseconds) = delay.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        timer = eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { [weak self] in
            self?.assumeIsolated { $0.timerFired() }
        }
    }
}

/// A weak reference to a connection that tasks can hold.
final class WeakConnection: Sendable {
    private struct Reference: Sendable {
        weak var value: PeerConnection?
    }

    private let reference = Mutex(Reference())

    var connection: PeerConnection? {
        get { reference.withLock { $0.value } }
        set { reference.withLock { $0.value = newValue } }
    }
}
