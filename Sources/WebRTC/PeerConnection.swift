public import CodecBridge
public import ICEKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import RTPKit
import SecureTransport
import Synchronization

/// A WebRTC peer connection for one-to-one video, used the way a W3C
/// `RTCPeerConnection` user expects:
///
/// ```swift
/// let pc = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
/// let track = try await pc.addVideoTrack(.init(width: 640, height: 480))
/// let offer = try await pc.createOffer()
/// try await pc.setLocalDescription(offer)        // then send offer.sdp to the peer
/// try await pc.setRemoteDescription(answer)      // the peer's answer
/// try await pc.addIceCandidate(candidate)        // each trickled candidate
/// for await event in pc.events { ... }           // local candidates, state changes
/// try await track.send(frame)                    // raw I420 frames
/// ```
///
/// One UDP socket carries everything (BUNDLE, rtcp-mux), demultiplexed by
/// first byte (RFC 7983). The connection is an actor whose executor is its
/// socket's event loop, so the per-packet path runs without an actor hop or
/// task creation; all protocol work happens in the sans-IO `PeerConnectionCore`.
public actor PeerConnection {
    nonisolated let eventLoop: any EventLoop
    /// The connection runs on its socket's event loop.
    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        eventLoop.executor.asUnownedSerialExecutor()
    }

    /// Candidates, state changes and key-frame requests, in order. Finishes on `close()`.
    public nonisolated let events: AsyncStream<PeerConnectionEvent>
    /// The remote peer's video, decoded; `nil` when the configuration does not receive video.
    public nonisolated let remoteVideoTrack: RemoteVideoTrack?

    private let core: PeerConnectionCore
    private let configuration: PeerConnectionConfiguration
    private let eventsContinuation: AsyncStream<PeerConnectionEvent>.Continuation
    private let remoteFramesContinuation: AsyncStream<ReceivedVideoFrame>.Continuation?
    private var socket: UDPSocket?
    private var timer: Scheduled<Void>?
    private var timerDeadline: ContinuousClock.Instant?
    private var localTrack: LocalVideoTrack?
    private var logger: Logger { configuration.logger }
    /// Lets the decoding task reach the connection without keeping it alive.
    private nonisolated let owner = WeakConnection()

    private init(configuration: PeerConnectionConfiguration, eventLoop: any EventLoop, certificate: DTLSCertificate) {
        self.configuration = configuration
        self.eventLoop = eventLoop
        // The wall clock and the monotonic clock are read together, so that
        // RTCP sender reports carry the right NTP time.
        let unixNow = Date().timeIntervalSince1970
        self.core = PeerConnectionCore(
            configuration: .init(
                certificate: certificate, ice: configuration.ice, receivesVideo: configuration.receivesVideo,
                logger: configuration.logger),
            wallClock: NTPTimestamp(
                unixSeconds: Int64(unixNow), nanoseconds: UInt32((unixNow - unixNow.rounded(.down)) * 1e9)),
            clockAnchor: .now)
        (events, eventsContinuation) = AsyncStream.makeStream(of: PeerConnectionEvent.self)
        if configuration.receivesVideo {
            let (encoded, continuation) = AsyncStream.makeStream(
                of: ReceivedVideoFrame.self, bufferingPolicy: .bufferingNewest(256))
            remoteFramesContinuation = continuation
            let owner = self.owner
            remoteVideoTrack = RemoteVideoTrack(encodedFrames: encoded) { await owner.connection?.requestKeyFrame() }
        } else {
            remoteFramesContinuation = nil
            remoteVideoTrack = nil
        }
    }

    /// Creates a connection and binds its UDP socket.
    ///
    /// - Throws: `PeerConnectionError` `.transportFailed` when the socket
    ///   cannot be bound, `.dtlsFailed` when no certificate can be made.
    public static func make(configuration: PeerConnectionConfiguration = PeerConnectionConfiguration()) async throws -> PeerConnection {
        let certificate: DTLSCertificate
        do {
            certificate = try DTLSCertificate()
        } catch {
            throw PeerConnectionError(.dtlsFailed, "cannot create a certificate: \(error)")
        }
        let connection = PeerConnection(
            configuration: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), certificate: certificate)
        connection.owner.connection = connection
        try await connection.bind()
        return connection
    }

    private func bind() async throws {
        let socket: UDPSocket
        do {
            socket = try await UDPSocket.bind(host: configuration.bindHost, port: configuration.port, on: eventLoop) {
                [weak self] buffer, source, destination in
                self?.assumeIsolated { connection in
                    connection.receive(buffer, from: source, to: destination)
                }
            }
        } catch let error as PeerConnectionError {
            throw error
        } catch {
            throw PeerConnectionError(.transportFailed, "cannot bind UDP \(configuration.bindHost):\(configuration.port): \(error)")
        }
        self.socket = socket
        for address in candidateAddresses(port: socket.localAddress.port) {
            core.addLocalAddress(address)
        }
        logger.debug("bound", metadata: ["address": "\(socket.localAddress)"])
    }

    private func candidateAddresses(port: UInt16) -> [ICETransportAddress] {
        if let explicit = configuration.candidateAddresses {
            return explicit.compactMap { ICETransportAddress(host: $0, port: port) }
        }
        if let bound = ICETransportAddress(host: configuration.bindHost, port: port), !bound.ip.isUnspecified {
            return [bound]
        }
        let devices = (try? System.enumerateDevices()) ?? []
        return devices.compactMap { device -> ICETransportAddress? in
            guard let ip = device.address?.ipAddress, let address = ICETransportAddress(host: ip, port: port),
                address.family == .ipv4, configuration.includeInterfaceAddress(address)
            else { return nil }
            return address
        }
    }

    /// The local UDP address of the connection's socket.
    public var localAddress: ICETransportAddress? { socket?.localAddress }

    // MARK: JSEP

    /// Adds a video track that this side sends, encoded as VP8 with `settings`.
    public func addVideoTrack(_ settings: VP8Encoder.Configuration) throws -> LocalVideoTrack {
        let track: LocalVideoTrack
        do {
            track = try LocalVideoTrack(configuration: settings, connection: self)
        } catch {
            throw PeerConnectionError(.mediaFailed, "cannot create the VP8 encoder: \(error)")
        }
        core.addVideoTrack()
        localTrack = track
        return track
    }

    /// Creates an SDP offer.
    public func createOffer() throws -> RTCSessionDescription {
        try core.createOffer()
    }

    /// Creates the SDP answer to the remote offer.
    public func createAnswer() throws -> RTCSessionDescription {
        try core.createAnswer()
    }

    /// Applies this side's offer or answer; local candidates follow as events.
    public func setLocalDescription(_ description: RTCSessionDescription) throws {
        try core.setLocalDescription(description, at: .now)
        flush()
    }

    /// Applies the remote side's offer or answer.
    public func setRemoteDescription(_ description: RTCSessionDescription) throws {
        try core.setRemoteDescription(description, at: .now)
        flush()
    }

    /// Adds a trickled remote candidate (held until the remote description is set).
    public func addIceCandidate(_ candidate: RTCIceCandidate) throws {
        try core.addIceCandidate(candidate, at: .now)
        flush()
    }

    /// The connection's state.
    public var connectionState: PeerConnectionState { core.connectionState }

    /// Counters of what was sent and received.
    public var statistics: PeerConnectionStatistics {
        var statistics = core.statistics
        if let track = remoteVideoTrack { statistics.framesDecoded = track.framesDecoded }
        return statistics
    }

    /// Closes the connection and its socket; `events` finishes.
    public func close() {
        core.close(at: .now)
        flush()
    }

    /// Releases the socket and timer and ends the streams, once the core is closed
    /// (by `close()` or by the peer's DTLS close_notify).
    private func tearDown() {
        timer?.cancel()
        timer = nil
        socket?.close()
        eventsContinuation.finish()
        remoteFramesContinuation?.finish()
    }

    deinit {
        timer?.cancel()
        socket?.close()
    }

    // MARK: Media

    func sendEncodedVideo(_ frame: EncodedVideoFrame) -> Bool {
        let sent = core.sendVideoFrame(frame.data, isKeyFrame: frame.isKeyFrame, timestamp: frame.timestamp, at: .now)
        flush()
        return sent
    }

    /// Asks the remote sender for a key frame.
    public func requestKeyFrame() {
        core.requestKeyFrame(at: .now)
        flush()
    }

    // MARK: The driver

    private func receive(_ buffer: ByteBuffer, from source: ICETransportAddress, to destination: ICETransportAddress?) {
        guard let local = destination ?? socket?.localAddress else { return }
        core.handle(datagram: Array(buffer.readableBytesView), from: source, to: local, at: .now)
        flush()
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
            socket?.send(transmit.bytes, to: transmit.destination)
        }
        while let event = core.pollEvent() {
            switch event {
            case .videoFrameReceived(let frame):
                remoteFramesContinuation?.yield(frame)
            case .keyFrameRequested:
                localTrack?.requestKeyFrame()
                eventsContinuation.yield(event)
            case .connectionStateChanged(.connected):
                localTrack?.requestKeyFrame()
                eventsContinuation.yield(event)
            default:
                eventsContinuation.yield(event)
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
