import ICEKit

/// ICE restart (RFC 8445 9, RFC 8829 3.5.1): new credentials start a new
/// ICE generation in a second agent. It gathers and checks while the old
/// agent keeps carrying media on its selected pair, and takes over once it
/// selects a pair of its own. DTLS and SRTP go on across the switch.
extension PeerConnectionCore {
    /// The agent that takes new candidates and credentials: the restarting one if any.
    var newestICE: ICEAgent? { nextICE ?? ice }

    /// Runs `body` on the newest agent and stores it back.
    @discardableResult
    func updateNewestICE<R>(_ body: (inout ICEAgent) throws -> R) rethrows -> R? {
        if var agent = nextICE {
            defer { nextICE = agent }
            return try body(&agent)
        }
        guard var agent = ice else { return nil }
        defer { ice = agent }
        return try body(&agent)
    }

    /// Whether an ICE restart is in progress.
    public var isRestartingICE: Bool { nextICE != nil }

    /// Starts the agent of the new generation with `localCredentials`, in
    /// the same role (its candidates are announced separately).
    func startNextICEAgent() {
        guard let current = ice else { return }
        nextICE?.close()
        nextICE = ICEAgent(role: current.role, credentials: localCredentials, configuration: configuration.ice, logger: logger)
        logger.debug("ICE restart", metadata: ["ufrag": "\(localCredentials.ufrag)"])
    }

    /// Gives the new agent the host candidates, asks the STUN servers again
    /// and adds the relayed addresses of the existing allocations; the
    /// candidates are trickled with the new ufrag, then the end of candidates.
    func announceNextICECandidates(at now: ContinuousClock.Instant) {
        guard var agent = nextICE else { return }
        gatheringFinished = false
        var candidates: [ICEKit.ICECandidate] = []
        if configuration.iceTransportPolicy == .all {
            for address in localAddresses {
                if let candidate = try? agent.addLocalHostCandidate(address: address) { candidates.append(candidate) }
            }
            for server in configuration.stunServers {
                _ = agent.gatherServerReflexive(from: server, at: now)
            }
        }
        for relay in relays {
            guard let relayed = relay.client.relayedAddress else { continue }
            if let candidate = try? agent.addLocalRelayedCandidate(relayed: relayed, mapped: relay.client.mappedAddress, server: relay.client.server) {
                candidates.append(candidate)
            }
        }
        agent.handleTimeout(at: now)
        nextICE = agent
        for candidate in candidates { emitLocalCandidate(candidate) }
        drainICE(at: now)
        finishGatheringIfDone()
    }

    /// Whether a STUN datagram belongs to the new generation: a request whose
    /// USERNAME starts with the new ufrag. Responses go to both agents (each
    /// knows only its own transactions).
    func isForNextICE(_ datagram: [UInt8]) -> Bool? {
        guard let next = nextICE, let message = try? STUNMessage(parsing: datagram) else { return nil }
        guard message.type.class == .request || message.type.class == .indication else { return nil }
        guard let username = message.username, let ufrag = username.split(separator: ":").first else { return false }
        return ufrag == next.localCredentials.ufrag
    }

    /// The new generation selected a pair: it carries media from now on.
    func promoteNextICE(at now: ContinuousClock.Instant) {
        guard let next = nextICE, let pair = next.selectedPair else { return }
        // The old generation's agent is dropped with whatever it still had to say.
        ice?.close()
        ice = next
        nextICE = nil
        logger.debug("ICE restart done", metadata: ["pair": "\(pair)"])
        dtlsRemote = pair.remoteAddress
        if iceConnectionState != next.connectionState {
            iceConnectionState = next.connectionState
            emit(.iceConnectionStateChanged(next.connectionState))
        }
        if consentLost {
            // Media may go again, on the new pair with fresh consent.
            consentLost = false
            nextRTCP = now
        }
        if connectionState == .disconnected { setConnectionState(.connected) }
        if let dtls, dtls.state == .new, dtlsRole == .client {
            dtls.start(at: now)
            drainDTLS(at: now)
        }
    }
}
