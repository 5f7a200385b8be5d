public import Logging
public import SignalingCore
public import WebRTC

/// The seed's sender or receiver logic over one `PeerConnection` and one
/// `SignalingClient`, so that a native peer is a few lines:
///
/// ```swift
/// let client = try await SignalingClient.connect(to: "ws://127.0.0.1:8080/", room: "demo")
/// _ = try await client.register(as: .receiver)
/// let connection = try await PeerConnection.make()
/// let session = SignalingSession(role: .receiver, connection: connection, client: client)
/// Task { for await event in session.events { if case .track(let track) = event { ... } } }
/// let outcome = await session.run()
/// ```
///
/// - The sender makes an offer whenever the connection needs one (the
///   first tracks, a track added later) and applies the answers.
/// - The receiver answers every offer, the first one and renegotiations.
/// - Both trickle their candidates and apply the other side's; candidates
///   that come before the description are held by the connection.
/// - What the other side sends that cannot be used is reported as an
///   `.error` event and the call goes on; a stranger in the room cannot end
///   it. If the other side leaves before anything was negotiated (it sent
///   nothing usable), the session waits for the next one; once a
///   description was applied, `peer-left` ends the session (make a new
///   connection and session for the next call).
///
/// The session reads the connection's `events` itself (an `AsyncStream`
/// has one reader): follow the session's `events`, which pass on what an
/// app needs (connection, tracks, errors).
public actor SignalingSession {
    /// Connection changes, remote tracks and errors, in order (at most
    /// ``bufferedEvents`` wait for a consumer that does not read them).
    public nonisolated let events: AsyncStream<SessionEvent>
    /// How many events wait for a slow consumer.
    public static let bufferedEvents = 256

    /// The role played.
    public let role: SessionRole
    /// The connection driven.
    public let connection: PeerConnection
    /// The signalling client used.
    public let client: SignalingClient
    private let continuation: AsyncStream<SessionEvent>.Continuation
    private let logger: Logger
    private(set) var isConnected = false
    /// The local candidates sent so far (bounded), to send again with a new
    /// offer when the first receiver left before answering.
    private var sentCandidates: [RTCIceCandidate] = []
    private static var maxRememberedCandidates: Int { 64 }
    /// Set when the other side left before answering our offer: the next one to join needs it again.
    private var offerLostWithPeer = false
    /// One offer is made at a time.
    private var isOffering = false
    private var hasRun = false
    /// How long the sender waits in `disconnected` before it restarts ICE; nil never restarts.
    public let iceRestartDelay: Duration?
    private var restartTask: Task<Void, Never>?
    /// The most ICE restarts tried for one disconnection.
    static var maxRestartsPerDisconnection: Int { 3 }

    /// Creates a session; nothing happens until `run()`.
    ///
    /// - Parameter iceRestartDelay: the sender restarts ICE (an offer with
    ///   new credentials) when the connection has been `disconnected` this
    ///   long, as after a network change; nil turns that off. The receiver
    ///   never offers in this protocol, so only the sender restarts.
    public init(
        role: SessionRole, connection: PeerConnection, client: SignalingClient, iceRestartDelay: Duration? = .seconds(2),
        logger: Logger = Logger(label: "webrtc.session")
    ) {
        self.role = role
        self.connection = connection
        self.client = client
        self.iceRestartDelay = iceRestartDelay
        self.logger = logger
        (events, continuation) = AsyncStream.makeStream(of: SessionEvent.self, bufferingPolicy: .bufferingNewest(Self.bufferedEvents))
    }

    /// Runs the call until the other side leaves, the connection fails, the
    /// signalling connection closes or the task is cancelled. `events`
    /// finishes when it returns.
    public func run() async -> SessionOutcome {
        // The connection's events and the client's messages have one reader each.
        guard !hasRun else {
            logger.error("SignalingSession.run() called twice")
            return .closed
        }
        hasRun = true
        let outcome = await withTaskGroup(of: SessionOutcome.self) { group in
            group.addTask { await self.relaySignalling() }
            group.addTask { await self.relayConnectionEvents() }
            let first = await group.next() ?? .closed
            group.cancelAll()
            return first
        }
        restartTask?.cancel()
        continuation.finish()
        return outcome
    }

    private func report(_ event: SessionEvent) {
        if case .error(let message) = event { logger.warning("\(message)") }
        continuation.yield(event)
    }

    // MARK: Signalling in

    private func relaySignalling() async -> SessionOutcome {
        do {
            for try await message in client.messages {
                switch message {
                case .createOffer(let offer):
                    await answer(offer)
                case .createAnswer(let answer):
                    await apply(answer: answer)
                case .iceCandidate(let candidate):
                    do {
                        try await connection.addIceCandidate(candidate ?? RTCIceCandidate(candidate: ""))
                    } catch {
                        report(.error("a remote candidate was refused: \(error)"))
                    }
                case .peerLeft:
                    let negotiated = await connection.hasRemoteDescription
                    if isConnected || negotiated { return .peerLeft }
                    let offerPending = await connection.signalingState == .haveLocalOffer
                    offerLostWithPeer = role == .sender && offerPending
                    report(.peerLeftBeforeCalling)
                case .error(let error):
                    report(.error("signalling server: \(error)"))
                case .peerJoined:
                    // A receiver came after the one we offered to left without answering: offer again.
                    if offerLostWithPeer {
                        offerLostWithPeer = false
                        await offer()
                        for candidate in sentCandidates { try? await client.send(.iceCandidate(candidate)) }
                    }
                case .registered, .register, .iceServers:
                    break
                }
            }
        } catch {
            if Task.isCancelled { return .closed }
            report(.error("signalling connection: \(error)"))
        }
        return Task.isCancelled ? .closed : .signallingClosed
    }

    private func answer(_ offer: RTCSessionDescription) async {
        guard role == .receiver else {
            report(.error("the sender got an offer; only the receiver answers in this protocol"))
            return
        }
        guard offer.type == .offer else {
            report(.error("a createOffer message carried a description of type \(offer.type.rawValue)"))
            return
        }
        do {
            try await connection.setRemoteDescription(offer)
            let answer = try await connection.createAnswer()
            try await connection.setLocalDescription(answer)
            try await client.send(.createAnswer(answer))
        } catch {
            report(.error("the offer could not be answered: \(error)"))
        }
    }

    private func apply(answer: RTCSessionDescription) async {
        guard role == .sender else {
            report(.error("the receiver got an answer; only the sender offers in this protocol"))
            return
        }
        guard answer.type == .answer else {
            report(.error("a createAnswer message carried a description of type \(answer.type.rawValue)"))
            return
        }
        do {
            try await connection.setRemoteDescription(answer)
        } catch {
            report(.error("the answer could not be applied: \(error)"))
        }
    }

    /// Makes, applies and sends an offer. A request while one is being made
    /// is dropped: the offer in flight describes every transceiver, and the
    /// connection asks again (`negotiationNeeded`) after the exchange if
    /// something changed meanwhile.
    private func offer(iceRestart: Bool = false) async {
        guard !isOffering else { return }
        isOffering = true
        defer { isOffering = false }
        do {
            let offer = try await connection.createOffer(iceRestart: iceRestart)
            try await connection.setLocalDescription(offer)
            try await client.send(.createOffer(offer))
        } catch {
            report(.error("no offer could be made: \(error)"))
        }
    }

    // MARK: ICE restart

    /// After `iceRestartDelay` in `disconnected`, the sender offers with new
    /// ICE credentials; if that does not bring the call back, it tries again
    /// (a bounded number of times) while consent has not yet expired.
    private func scheduleICERestart(attempt: Int) {
        guard role == .sender, let delay = iceRestartDelay, attempt <= Self.maxRestartsPerDisconnection else { return }
        restartTask?.cancel()
        restartTask = Task { [weak self] in
            guard (try? await Task.sleep(for: attempt == 1 ? delay : max(delay, .seconds(5)))) != nil else { return }
            await self?.restartIfStillDisconnected(attempt: attempt)
        }
    }

    private func restartIfStillDisconnected(attempt: Int) async {
        guard await connection.connectionState == .disconnected, await connection.signalingState == .stable else { return }
        logger.info("restarting ICE", metadata: ["attempt": "\(attempt)"])
        report(.iceRestarted)
        await offer(iceRestart: true)
        scheduleICERestart(attempt: attempt + 1)
    }

    // MARK: Connection events out

    private func relayConnectionEvents() async -> SessionOutcome {
        for await event in connection.events {
            switch event {
            case .localCandidate(let candidate):
                if sentCandidates.count < Self.maxRememberedCandidates { sentCandidates.append(candidate) }
                do {
                    try await client.send(.iceCandidate(candidate))
                } catch {
                    logger.debug("a local candidate could not be sent", metadata: ["error": "\(error)"])
                }
            case .negotiationNeeded:
                if role == .sender {
                    await offer()
                } else {
                    logger.debug("the receiver does not offer in this protocol; the sender's next offer can carry the change")
                }
            case .connectionStateChanged(let state):
                report(.stateChanged(state))
                if state == .disconnected {
                    scheduleICERestart(attempt: 1)
                } else {
                    restartTask?.cancel()
                    restartTask = nil
                }
                if state == .connected, !isConnected {
                    isConnected = true
                    report(.connected)
                } else if state == .failed {
                    report(.failed)
                    return .failed
                }
            case .consentExpired:
                report(.consentExpired)
            case .track(let track):
                report(.track(track))
            case .trackEnded(let mid):
                report(.trackEnded(mid: mid))
            default:
                break
            }
        }
        return .closed
    }
}
