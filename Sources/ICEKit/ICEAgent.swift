public import Logging

/// A full ICE agent (RFC 8445) for one data stream with one component
/// (BUNDLE and rtcp-mux), with trickle (RFC 8838) and consent freshness
/// (RFC 7675), as a sans-IO state machine.
///
/// The agent never touches a socket or a clock. Its owner (a driver):
/// - adds the local socket addresses it bound with ``addLocalHostCandidate(address:)``
///   and signals the returned candidates; passes the remote side's credentials
///   and candidates as they arrive (in any order);
/// - feeds every STUN datagram (first byte 0...3) received on those sockets to
///   ``handle(datagram:from:to:at:)`` and calls ``handleTimeout(at:)`` when
///   ``nextTimeout()`` is reached, and also right after it calls any of the
///   other mutating methods (the agent learns the time only from these two
///   calls, so without that ``nextTimeout()`` may stay nil);
/// - after each call, sends everything ``pollTransmit()`` returns and reads
///   ``pollEvent()`` until both return nil, then re-arms its timer with
///   ``nextTimeout()``.
///
/// Media goes over ``selectedPair`` while the state is `connected`,
/// `completed` or `disconnected`; after `failed` (consent lost) it must stop.
///
/// Everything is bounded (candidates, pairs, transactions, queues), and bad
/// input is dropped and counted in ``statistics``.
public struct ICEAgent: Sendable {
    /// The current role; it changes if a role conflict is resolved against this agent.
    public internal(set) var role: ICERole
    /// This agent's credentials, to signal to the peer.
    public let localCredentials: ICECredentials
    /// The peer's credentials, once known.
    public internal(set) var remoteCredentials: ICECredentials?
    /// The tie breaker sent in ICE-CONTROLLING/ICE-CONTROLLED.
    public let tieBreaker: UInt64
    /// Timers and limits.
    public let configuration: ICEConfiguration
    /// The connection state.
    public internal(set) var connectionState: ICEConnectionState = .new
    /// Counters of dropped and refused input.
    public internal(set) var statistics = ICEAgentStatistics()
    /// Whether the peer has said it has no more candidates.
    public internal(set) var remoteEndOfCandidates = false
    /// The round-trip time on the selected pair, smoothed over its consent
    /// checks (each sample weighs 1/8, as TCP's SRTT; RFC 6298), once measured.
    public internal(set) var roundTripTime: Duration?

    var logger: Logger
    let localIntegrity: STUNIntegrity
    var remoteIntegrity: STUNIntegrity?
    var locals: [LocalCandidate] = []
    var remotes: [RemoteCandidate] = []
    var heldRemotes: [ICECandidate] = []
    var pairs: [CheckPair] = []
    var triggered: [Int] = []
    var transactions: [STUNTransactionID: Transaction] = [:]
    var transmits: BoundedQueue<ICETransmit>
    var events = BoundedQueue<ICEEvent>(capacity: 128)
    var generator = SystemRandomNumberGenerator()

    var lastNow: ContinuousClock.Instant?
    var lastCheckSentAt: ContinuousClock.Instant?
    var lastProgressAt: ContinuousClock.Instant?
    var firstValidAt: ContinuousClock.Instant?
    var selected: Int?
    var nominating: Int?
    var nominationDone = false
    var consentRefreshedAt: ContinuousClock.Instant?
    var nextConsentAt: ContinuousClock.Instant?
    var stateBeforeDisconnect: ICEConnectionState = .connected

    /// The most transactions outstanding at once.
    static let maxTransactions = 256

    /// Creates an agent.
    ///
    /// - Parameters:
    ///   - role: the starting role (the offerer is usually controlling).
    ///   - credentials: this agent's ufrag and password; random by default.
    ///     Each must have 1 to 256 bytes (a precondition).
    ///   - tieBreaker: the role-conflict tie breaker; random by default.
    ///   - configuration: timers and limits.
    ///   - logger: where dropped input and state changes are logged (at debug level).
    public init(
        role: ICERole,
        credentials: ICECredentials = .random(),
        tieBreaker: UInt64 = .random(in: .min ... .max),
        configuration: ICEConfiguration = ICEConfiguration(),
        logger: Logger = Logger(label: "ICEKit.ICEAgent")
    ) {
        precondition(!credentials.ufrag.isEmpty && credentials.ufrag.utf8.count <= 256, "the ufrag must have 1 to 256 bytes")
        precondition(!credentials.pwd.isEmpty && credentials.pwd.utf8.count <= 256, "the password must have 1 to 256 bytes")
        self.role = role
        self.localCredentials = credentials
        self.tieBreaker = tieBreaker
        self.configuration = configuration
        self.logger = logger
        self.localIntegrity = .shortTerm(password: credentials.pwd)
        self.transmits = BoundedQueue(capacity: configuration.maxQueuedTransmits)
    }

    // MARK: Candidates and credentials

    /// Adds a local host candidate for a socket the caller bound, and returns
    /// the candidate to signal to the peer. Adding the same address twice
    /// returns the existing candidate.
    ///
    /// - Throws: ``ICEError`` `.invalidAddress` for an unspecified address or
    ///   port 0, `.tooManyCandidates` beyond the configured limit, `.closed`.
    @discardableResult
    public mutating func addLocalHostCandidate(address: ICETransportAddress) throws -> ICECandidate {
        try addPairedLocalCandidate(.host, address: address, related: nil, server: nil)
    }

    /// Adds a local candidate that sends its own checks (a host socket or a
    /// relayed address), paired with every remote candidate; the same
    /// address again returns the existing one. Local preferences count down
    /// within each type, in the order they are added.
    mutating func addPairedLocalCandidate(
        _ type: ICECandidateType, address: ICETransportAddress, related: ICETransportAddress?, server: ICETransportAddress?
    ) throws -> ICECandidate {
        guard connectionState != .closed else { throw ICEError(.closed, "the agent is closed") }
        guard !address.ip.isUnspecified, address.port != 0 else {
            throw ICEError(.invalidAddress, "\(address) is not a usable \(type.rawValue) address")
        }
        if let existing = locals.first(where: { $0.candidate.type == type && $0.base == address }) {
            return existing.candidate
        }
        guard locals.count < configuration.maxLocalCandidates else {
            throw ICEError(.tooManyCandidates, "at most \(configuration.maxLocalCandidates) local candidates")
        }
        let sameType = locals.count { $0.candidate.type == type }
        let localPreference = UInt16(clamping: 65535 - sameType)
        let candidate = ICECandidate(
            foundation: ICECandidate.foundation(type: type, baseAddress: address.ip, serverAddress: server?.ip),
            priority: ICECandidate.priority(type: type, localPreference: localPreference),
            address: .ip(address),
            type: type,
            relatedAddress: related.map { .ip($0) },
            ufrag: localCredentials.ufrag
        )
        locals.append(LocalCandidate(candidate: candidate, base: address, localPreference: localPreference))
        let localIndex = locals.count - 1
        for remoteIndex in remotes.indices {
            addPair(local: localIndex, remote: remoteIndex)
        }
        logger.debug("added local \(type.rawValue) candidate \(candidate)")
        return candidate
    }

    /// Sets the peer's ufrag and password. Remote candidates that arrived
    /// earlier are used from now on. Checks start at the next
    /// ``handleTimeout(at:)`` (call it right after, with the current time).
    ///
    /// - Throws: ``ICEError`` `.invalidCredentials` if either is empty or longer than 256 bytes,
    ///   `.iceRestartNotSupported` if different credentials were set before, `.closed`.
    public mutating func setRemoteCredentials(ufrag: String, pwd: String) throws {
        guard connectionState != .closed else { throw ICEError(.closed, "the agent is closed") }
        guard !ufrag.isEmpty, !pwd.isEmpty, ufrag.utf8.count <= 256, pwd.utf8.count <= 256 else {
            throw ICEError(.invalidCredentials, "the remote ufrag and password must have 1 to 256 bytes")
        }
        let credentials = ICECredentials(ufrag: ufrag, pwd: pwd)
        if let remoteCredentials {
            guard remoteCredentials == credentials else {
                throw ICEError(.iceRestartNotSupported, "the remote credentials changed (an ICE restart)")
            }
            return
        }
        remoteCredentials = credentials
        remoteIntegrity = .shortTerm(password: pwd)
        let held = heldRemotes
        heldRemotes = []
        for candidate in held {
            acceptRemoteCandidate(candidate)
        }
    }

    /// Adds a remote candidate (trickled or from the description). It may
    /// arrive before or after the remote credentials; it is held until both
    /// are known. Quietly ignored (and counted in
    /// ``ICEAgentStatistics/ignoredRemoteCandidates``): TCP candidates,
    /// components other than 1, unresolved host names such as mDNS `.local`
    /// names (connectivity then comes from peer-reflexive candidates), a ufrag
    /// that is not the remote one, unusable addresses, and candidates beyond
    /// the configured limit. New pairs are checked from the next
    /// ``handleTimeout(at:)`` (call it right after, with the current time).
    public mutating func addRemoteCandidate(_ candidate: ICECandidate) {
        guard connectionState != .closed, connectionState != .failed else { return }
        guard candidate.transport == .udp else {
            return ignoreRemote(candidate, "transport \(candidate.transport) is not checked")
        }
        guard candidate.component == 1 else {
            return ignoreRemote(candidate, "component \(candidate.component) is not checked (rtcp-mux)")
        }
        guard let address = candidate.transportAddress else {
            return ignoreRemote(candidate, "host name \(candidate.address.host) is not resolved")
        }
        guard !address.ip.isUnspecified, !address.ip.isMulticastOrBroadcast, address.port != 0 else {
            return ignoreRemote(candidate, "address \(address) is unusable")
        }
        guard remoteCredentials != nil else {
            guard heldRemotes.count + remotes.count < configuration.maxRemoteCandidates else {
                return ignoreRemote(candidate, "too many remote candidates")
            }
            heldRemotes.append(candidate)
            return
        }
        acceptRemoteCandidate(candidate)
    }

    /// The peer has signalled its last candidate (end-of-candidates). If every
    /// pair has already failed, the next ``handleTimeout(at:)`` moves the state to `failed`.
    public mutating func endOfRemoteCandidates() {
        remoteEndOfCandidates = true
        updateCompletion()
    }

    /// Closes the agent: the state becomes `closed`, queued datagrams are
    /// dropped and no more are produced. Events already queued stay readable.
    public mutating func close() {
        guard connectionState != .closed else { return }
        transactions.removeAll()
        triggered.removeAll()
        transmits.removeAll()
        nextConsentAt = nil
        setState(.closed)
    }

    // MARK: Outputs

    /// The next datagram to send, or nil.
    public mutating func pollTransmit() -> ICETransmit? {
        transmits.pop()
    }

    /// The next event, or nil.
    public mutating func pollEvent() -> ICEEvent? {
        events.pop()
    }

    /// When ``handleTimeout(at:)`` should next be called, or nil if nothing is
    /// scheduled. May be at or before the last time given to the agent, which
    /// means "now".
    public func nextTimeout() -> ContinuousClock.Instant? {
        guard connectionState != .closed, connectionState != .failed else { return nil }
        // Called after every input (per packet, by a driver): a plain
        // fold, with no closure capturing the result (that would allocate).
        var earliest: ContinuousClock.Instant?
        for transaction in transactions.values { earliest = Self.earlier(earliest, transaction.deadline) }
        if canSendChecks {
            if hasCheckWork {
                earliest = Self.earlier(earliest, lastCheckSentAt.map { $0 + configuration.checkPacing } ?? lastNow)
            }
            earliest = Self.earlier(earliest, nominationDeadline)
        }
        if selected != nil, let refreshed = consentRefreshedAt {
            earliest = Self.earlier(earliest, nextConsentAt)
            if connectionState != .disconnected { earliest = Self.earlier(earliest, refreshed + configuration.disconnectedTimeout) }
            earliest = Self.earlier(earliest, refreshed + configuration.consentTimeout)
        } else if connectionState == .checking, let progress = lastProgressAt {
            earliest = Self.earlier(earliest, progress + configuration.checkingTimeout)
        }
        return earliest
    }

    /// The earlier of two optional instants (nil is never).
    static func earlier(_ a: ContinuousClock.Instant?, _ b: ContinuousClock.Instant?) -> ContinuousClock.Instant? {
        guard let a else { return b }
        guard let b else { return a }
        return min(a, b)
    }

    // MARK: Inspection

    /// The selected pair, once there is one.
    public var selectedPair: ICECandidatePair? {
        selected.flatMap { publicPair($0) }
    }

    /// The local candidates: the host candidates added, and peer-reflexive
    /// candidates that checks discovered (these are not signalled).
    public var localCandidates: [ICECandidate] { locals.map(\.candidate) }

    /// The remote candidates in use: signalled ones and peer-reflexive ones
    /// learned from checks (not those held for credentials or ignored).
    public var remoteCandidates: [ICECandidate] { remotes.map(\.candidate) }

    /// A snapshot of the checklist, highest priority first.
    public var candidatePairs: [ICECandidatePairStatus] {
        pairs.indices.sorted { pairs[$0].priority > pairs[$1].priority }.compactMap { index in
            publicPair(index).map {
                ICECandidatePairStatus(pair: $0, state: pairs[index].state, priority: pairs[index].priority, isNominated: pairs[index].nominated)
            }
        }
    }

    /// Whether a check has validated the path between the local socket address
    /// `local` and `remote` (a succeeded pair). Drivers use it to accept
    /// non-STUN datagrams only from validated peers.
    public func isValidated(remote: ICETransportAddress, local: ICETransportAddress) -> Bool {
        if let selected, remotes[pairs[selected].remote].address == remote, locals[pairs[selected].local].base == local {
            return true
        }
        return pairs.contains {
            $0.state == .succeeded && remotes[$0.remote].address == remote && locals[$0.local].base == local
        }
    }

    func publicPair(_ index: Int) -> ICECandidatePair? {
        guard pairs.indices.contains(index) else { return nil }
        let pair = pairs[index]
        let local = locals[pair.validLocal ?? pair.local]
        let remote = remotes[pair.remote]
        return ICECandidatePair(local: local.candidate, remote: remote.candidate, localBase: locals[pair.local].base, remoteAddress: remote.address)
    }

    // MARK: State

    mutating func setState(_ state: ICEConnectionState) {
        guard connectionState != state else { return }
        logger.debug("ICE connection state \(connectionState.rawValue) -> \(state.rawValue)")
        connectionState = state
        events.push(.connectionStateChanged(state))
    }

    mutating func noteRoundTrip(_ sample: Duration) {
        guard sample >= .zero, sample < .seconds(10) else { return }
        roundTripTime = roundTripTime.map { $0 * 7 / 8 + sample / 8 } ?? sample
    }

    mutating func emit(_ event: ICEEvent) {
        events.push(event)
    }

    mutating func enqueue(_ bytes: [UInt8], from source: ICETransportAddress, to destination: ICETransportAddress) {
        if !transmits.push(ICETransmit(bytes: bytes, source: source, destination: destination)) {
            statistics.droppedTransmits += 1
        }
    }

    mutating func ignoreRemote(_ candidate: ICECandidate, _ reason: String) {
        statistics.ignoredRemoteCandidates += 1
        logger.debug("ignoring remote candidate \(candidate): \(reason)")
    }

    /// Moves `connected` to `completed` when the peer has no more candidates.
    mutating func updateCompletion() {
        if connectionState == .connected, selected != nil, remoteEndOfCandidates {
            setState(.completed)
        }
    }

    mutating func fail(_ reason: String) {
        logger.debug("ICE failed: \(reason)")
        transactions.removeAll()
        triggered.removeAll()
        for index in pairs.indices { pairs[index].isTriggered = false }
        nextConsentAt = nil
        setState(.failed)
    }
}
