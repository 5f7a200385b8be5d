public import Logging

/// One side of a DTLS-SRTP association as WebRTC uses it (RFC 5763, RFC 5764,
/// RFC 8827): a sans-IO DTLS 1.2 endpoint that presents a self-signed
/// certificate, pins the peer's certificate to the fingerprint from its session
/// description, negotiates `use_srtp` and exports the SRTP keys.
///
/// It never touches a socket or a clock of its own. The caller feeds it
/// datagrams (already demultiplexed: first byte 20-63, RFC 7983) and time, and
/// polls what to send, what happened and when to call back:
///
/// ```swift
/// endpoint.start(at: now)
/// endpoint.handle(datagram: bytes, at: now)      // for each DTLS datagram
/// endpoint.handleTimeout(at: now)                // when nextTimeout() is reached
/// while let datagram = endpoint.pollTransmit() { send(datagram) }
/// while let event = endpoint.pollEvent() { ... } // .connected(keys), .failed, ...
/// let deadline = endpoint.nextTimeout()
/// ```
///
/// The one exception to "time is a parameter" is OpenSSL's retransmission timer,
/// which runs on the wall clock: `nextTimeout()` is the timer's time left added
/// to the `now` of the latest input, and a retransmission happens only once the
/// wall-clock timer expired. With a driver on real time the two agree.
///
/// Not `Sendable`: one owner (a driver on one event loop or task) calls it.
public final class DTLSEndpoint {
    /// Where the endpoint stands.
    public enum State: Sendable, Hashable {
        /// Created, `start(at:)` not called yet.
        case new
        /// The handshake runs.
        case handshaking
        /// The handshake finished and the keys were exported.
        case connected
        /// Closed by `close()` or by the peer's `close_notify`.
        case closed
        /// Failed; see the `.failed` event.
        case failed
    }

    /// The SRTP profiles offered by default, in order of preference.
    public static let defaultSRTPProfiles: [SRTPProtectionProfile] = [.aeadAES128GCM, .aes128CMHMACSHA1_80]
    /// The default largest datagram: 1200 bytes keeps DTLS within any path MTU that ICE works over.
    public static let defaultMTU = 1200
    /// Datagrams larger than this are dropped unread (no UDP payload is larger).
    static let maximumDatagramSize = 65_535

    /// The handshake role.
    public let role: DTLSRole
    /// The largest datagram `pollTransmit()` returns.
    public let mtu: Int
    /// Where the endpoint stands.
    public private(set) var state: State = .new
    /// The keys, once `.connected` was reported.
    public private(set) var keyingMaterial: SRTPKeyingMaterial?

    let engine: any DTLSEngine
    private var logger: Logger
    private var outgoing: DTLSDatagramQueue
    private var events: [DTLSEvent] = []
    private var eventIndex = 0
    private var deadline: ContinuousClock.Instant?
    /// Reused for input that is not contiguous.
    private var scratch: [UInt8] = []

    /// Creates an endpoint with a fresh OpenSSL DTLS 1.2 engine.
    ///
    /// - Parameters:
    ///   - role: client (`a=setup:active`) or server (`a=setup:passive`).
    ///   - certificate: this endpoint's certificate; its fingerprint goes into the local SDP.
    ///   - remoteFingerprint: the peer's `a=fingerprint`; the handshake fails with
    ///     `.fingerprintMismatch` if the peer's certificate does not hash to it.
    ///   - srtpProfiles: the `use_srtp` profiles to offer (client) or accept (server), in
    ///     order of preference.
    ///   - mtu: the largest datagram to send, 256...65535.
    ///   - initialRetransmitTimeout: the first retransmission timeout (doubling up to
    ///     60 s); RFC 6347 recommends 1 s.
    ///   - logger: where handshake progress is logged (debug level).
    /// - Throws: `.invalidConfiguration` for an empty profile list, an MTU or timeout
    ///   out of range, or an engine OpenSSL refuses to set up.
    public convenience init(
        role: DTLSRole,
        certificate: DTLSCertificate,
        remoteFingerprint: DTLSFingerprint,
        srtpProfiles: [SRTPProtectionProfile] = DTLSEndpoint.defaultSRTPProfiles,
        mtu: Int = DTLSEndpoint.defaultMTU,
        initialRetransmitTimeout: Duration = .seconds(1),
        logger: Logger = Logger(label: "SecureTransport.DTLSEndpoint")
    ) throws {
        guard !srtpProfiles.isEmpty else {
            throw SecureTransportError(.invalidConfiguration, "offer at least one SRTP profile")
        }
        guard (256...65_535).contains(mtu) else {
            throw SecureTransportError(.invalidConfiguration, "MTU \(mtu) is outside 256...65535")
        }
        let engine = try OpenSSLDTLSEngine(
            role: role, certificate: certificate, remoteFingerprint: remoteFingerprint,
            srtpProfiles: srtpProfiles, mtu: mtu, initialRetransmitTimeout: initialRetransmitTimeout)
        self.init(role: role, engine: engine, mtu: mtu, logger: logger)
    }

    /// Creates an endpoint over any engine (tests put a fake one here).
    init(role: DTLSRole, engine: any DTLSEngine, mtu: Int, logger: Logger) {
        self.role = role
        self.engine = engine
        self.mtu = mtu
        self.logger = logger
        self.logger[metadataKey: "dtls.role"] = "\(role)"
        self.outgoing = DTLSDatagramQueue(mtu: mtu)
    }

    // MARK: Input

    /// Starts the handshake: a client writes its ClientHello, a server waits for one.
    /// Calling it again does nothing.
    public func start(at now: ContinuousClock.Instant) {
        guard state == .new else { return }
        state = .handshaking
        logger.debug("DTLS handshake starting")
        advanceHandshake(at: now)
    }

    /// Handles one received DTLS datagram (first byte 20-63).
    ///
    /// Records that do not parse or do not authenticate are dropped, as DTLS
    /// requires; a handshake message that breaks the protocol fails the endpoint.
    /// A datagram before `start(at:)` starts the endpoint first; one after it
    /// closed or failed is ignored.
    public func handle(datagram: some Collection<UInt8>, at now: ContinuousClock.Instant) {
        if state == .new { start(at: now) }
        guard state == .handshaking || state == .connected else { return }
        guard !datagram.isEmpty, datagram.count <= Self.maximumDatagramSize else {
            logger.debug("dropping a datagram of \(datagram.count) bytes")
            return
        }
        let fed: Void? = datagram.withContiguousStorageIfAvailable { engine.receive(UnsafeRawBufferPointer($0)) }
        if fed == nil {
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: datagram)
            scratch.withUnsafeBytes { engine.receive($0) }
        }
        if state == .handshaking {
            advanceHandshake(at: now)
        } else {
            readApplicationData()
            collectOutput(at: now)
        }
    }

    /// Retransmits the last flight if the retransmission timer expired. Call it when
    /// `nextTimeout()` is reached; calling it earlier does nothing.
    public func handleTimeout(at now: ContinuousClock.Instant) {
        guard state == .handshaking || state == .connected else { return }
        guard let deadline, now >= deadline else { return }
        do {
            try engine.handleRetransmitTimer()
            if state == .handshaking {
                // OpenSSL may have gone on with input it held back.
                advanceHandshake(at: now)
                return
            }
        } catch let error as SecureTransportError {
            fail(error)
        } catch {
            fail(SecureTransportError(.handshakeFailed, "\(error)"))
        }
        collectOutput(at: now)
    }

    /// Sends application data in one record (after `.connected`).
    ///
    /// - Throws: `.invalidState` before the connection is up or after it ended,
    ///   `.applicationDataTooLarge` beyond `maximumApplicationDataSize`,
    ///   `.connectionFailed` if OpenSSL refuses.
    public func send(applicationData: some Collection<UInt8>) throws {
        guard state == .connected else {
            throw SecureTransportError(.invalidState, "cannot send application data while \(state)")
        }
        guard applicationData.count <= maximumApplicationDataSize else {
            throw SecureTransportError(
                .applicationDataTooLarge,
                "\(applicationData.count) bytes exceed the \(maximumApplicationDataSize) bytes one record carries")
        }
        let bytes = Array(applicationData)
        try bytes.withUnsafeBytes { try engine.writeApplicationData($0) }
        outgoing.append { engine.drainOutgoingRecords(into: &$0) }
    }

    /// The most application data one `send(applicationData:)` carries within the MTU.
    public var maximumApplicationDataSize: Int { engine.maximumApplicationDataSize }

    /// Sends `close_notify` and closes the endpoint (reporting `.closed`). Does nothing
    /// once closed or failed.
    public func close() {
        guard state == .handshaking || state == .connected || state == .new else { return }
        if state != .new {
            engine.shutdown()
            outgoing.append { engine.drainOutgoingRecords(into: &$0) }
        }
        state = .closed
        deadline = nil
        events.append(.closed)
        logger.debug("DTLS closed locally")
    }

    // MARK: Output

    /// The next datagram to send to the peer, at most `mtu` bytes, or nil.
    public func pollTransmit() -> [UInt8]? {
        outgoing.next()
    }

    /// The next event, or nil.
    public func pollEvent() -> DTLSEvent? {
        guard eventIndex < events.count else { return nil }
        let event = events[eventIndex]
        eventIndex += 1
        if eventIndex == events.count {
            events.removeAll(keepingCapacity: true)
            eventIndex = 0
        }
        return event
    }

    /// When to call `handleTimeout(at:)`, or nil when no timer runs.
    public func nextTimeout() -> ContinuousClock.Instant? {
        deadline
    }

    // MARK: Internals

    private func advanceHandshake(at now: ContinuousClock.Instant) {
        switch engine.continueHandshake() {
        case .inProgress:
            break
        case .complete:
            do {
                let keys = try engine.exportKeyingMaterial()
                keyingMaterial = keys
                state = .connected
                events.append(.connected(keys))
                logger.debug("DTLS connected", metadata: ["srtp.profile": "\(keys.profile.name)"])
                readApplicationData()  // records that came in the same datagram as Finished
            } catch {
                // The handshake itself finished, so the peer may believe it is connected:
                // tell it with a close_notify that this side gives up.
                engine.shutdown()
                fail(error as? SecureTransportError ?? SecureTransportError(.keyExportFailed, "\(error)"))
            }
        case .closed:
            closedByPeer()
        case .failed(let error):
            fail(error)
        }
        collectOutput(at: now)
    }

    private func readApplicationData() {
        while state == .connected {
            switch engine.readApplicationData() {
            case .data(let bytes):
                events.append(.applicationData(bytes))
            case .none:
                return
            case .closed:
                closedByPeer()
            case .failed(let error):
                fail(error)
            }
        }
    }

    private func closedByPeer() {
        engine.shutdown()  // answer with our close_notify
        state = .closed
        events.append(.closed)
        logger.debug("DTLS closed by the peer")
    }

    private func fail(_ error: SecureTransportError) {
        guard state != .failed else { return }
        state = .failed
        deadline = nil
        events.append(.failed(error))
        logger.debug("DTLS failed", metadata: ["error": "\(error)"])
    }

    /// Moves written records into the queue and re-anchors the timer at `now`.
    private func collectOutput(at now: ContinuousClock.Instant) {
        outgoing.append { engine.drainOutgoingRecords(into: &$0) }
        if state == .handshaking || state == .connected {
            deadline = engine.retransmitTimeRemaining().map { now + $0 }
        } else {
            deadline = nil
        }
    }
}
