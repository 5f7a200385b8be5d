extension ICEAgent {
    // MARK: Remote candidates and pairs

    /// Adds a remote candidate whose credentials are known.
    mutating func acceptRemoteCandidate(_ candidate: ICECandidate) {
        guard let address = candidate.transportAddress else { return }
        if let ufrag = candidate.ufrag, let remoteCredentials, ufrag != remoteCredentials.ufrag {
            return ignoreRemote(candidate, "ufrag \(ufrag) is not the remote ufrag")
        }
        if let existing = remotes.firstIndex(where: { $0.address == address }) {
            // A signalled candidate replaces what a check taught us about the same address.
            if remotes[existing].candidate.type == .peerReflexive, candidate.type != .peerReflexive {
                remotes[existing].candidate = candidate
                recomputePriorities()
            }
            return
        }
        guard remotes.count < configuration.maxRemoteCandidates else {
            return ignoreRemote(candidate, "too many remote candidates")
        }
        remotes.append(RemoteCandidate(candidate: candidate, address: address))
        let remoteIndex = remotes.count - 1
        for localIndex in locals.indices where locals[localIndex].sendsOwnChecks {
            addPair(local: localIndex, remote: remoteIndex)
        }
        logger.debug("added remote candidate \(candidate)")
    }

    /// Whether a local host address and a remote address can reach each other.
    static func canPair(_ local: ICETransportAddress, _ remote: ICETransportAddress) -> Bool {
        local.family == remote.family && local.ip.isLoopback == remote.ip.isLoopback
    }

    func pairPriority(local: Int, remote: Int) -> UInt64 {
        let localPriority = locals[local].candidate.priority
        let remotePriority = remotes[remote].candidate.priority
        return role == .controlling
            ? ICECandidatePair.priority(controlling: localPriority, controlled: remotePriority)
            : ICECandidatePair.priority(controlling: remotePriority, controlled: localPriority)
    }

    mutating func recomputePriorities() {
        for index in pairs.indices {
            pairs[index].priority = pairPriority(local: pairs[index].local, remote: pairs[index].remote)
        }
    }

    /// Adds a pair to the checklist (or finds the existing one) and returns its index.
    @discardableResult
    mutating func addPair(local: Int, remote: Int) -> Int? {
        // A server-reflexive candidate checks from its base, which has its own pairs (RFC 8445 6.1.2.4).
        guard locals[local].candidate.type != .serverReflexive else { return nil }
        if let existing = pairs.firstIndex(where: { $0.local == local && $0.remote == remote }) {
            return existing
        }
        guard ICEAgent.canPair(locals[local].base, remotes[remote].address) else { return nil }
        let foundation = locals[local].candidate.foundation + ":" + remotes[remote].candidate.foundation
        let priority = pairPriority(local: local, remote: remote)
        let busyFoundation = pairs.contains { $0.foundation == foundation && ($0.state == .waiting || $0.state == .inProgress) }
        let pair = CheckPair(local: local, remote: remote, foundation: foundation, priority: priority, state: busyFoundation ? .frozen : .waiting)
        let index: Int
        if pairs.count < configuration.maxCandidatePairs {
            pairs.append(pair)
            index = pairs.count - 1
        } else {
            // Replace the lowest-priority pair that is idle, if the new one ranks higher.
            let replaceable = pairs.indices.filter {
                $0 != selected && $0 != nominating && pairs[$0].transaction == nil
                    && (pairs[$0].state == .frozen || pairs[$0].state == .waiting || pairs[$0].state == .failed)
            }
            guard let victim = replaceable.min(by: { pairs[$0].priority < pairs[$1].priority }),
                  pairs[victim].priority < priority else {
                logger.debug("checklist full; dropping pair \(locals[local].base) -> \(remotes[remote].address)")
                return nil
            }
            triggered.removeAll { $0 == victim }
            pairs[victim] = pair
            index = victim
        }
        lastProgressAt = lastNow ?? lastProgressAt
        return index
    }

    /// Queues a triggered check for `pair` (RFC 8445 section 7.3.1.4).
    mutating func trigger(_ pair: Int, first: Bool = false) {
        if pairs[pair].isTriggered {
            if first, let position = triggered.firstIndex(of: pair) {
                triggered.remove(at: position)
                triggered.insert(pair, at: 0)
            }
            return
        }
        pairs[pair].isTriggered = true
        if first { triggered.insert(pair, at: 0) } else { triggered.append(pair) }
    }

    // MARK: Scheduling

    /// Whether checks may be sent at all.
    var canSendChecks: Bool {
        remoteIntegrity != nil && transactions.count < ICEAgent.maxTransactions
            && (connectionState == .new || connectionState == .checking || connectionState == .connected
                || connectionState == .completed || connectionState == .disconnected)
    }

    /// Whether a triggered entry can be sent now.
    func isSendableTriggered(_ index: Int) -> Bool {
        let pair = pairs[index]
        if pair.useCandidateNext { return pair.state == .succeeded && pair.transaction == nil }
        return pair.state == .waiting
    }

    /// The pair an ordinary check would go to, and whether it must be unfrozen first.
    func nextOrdinaryPair() -> Int? {
        guard selected == nil, !nominationDone else { return nil }
        var best: Int?
        for index in pairs.indices where pairs[index].state == .waiting {
            if best.map({ pairs[index].priority > pairs[$0].priority }) ?? true { best = index }
        }
        if let best { return best }
        // No pair waits: unfreeze the best frozen pair whose foundation is idle.
        for index in pairs.indices where pairs[index].state == .frozen {
            let foundation = pairs[index].foundation
            let busy = pairs.contains { $0.foundation == foundation && ($0.state == .waiting || $0.state == .inProgress) }
            if !busy, best.map({ pairs[index].priority > pairs[$0].priority }) ?? true { best = index }
        }
        return best
    }

    var hasCheckWork: Bool {
        triggered.contains { isSendableTriggered($0) } || nextOrdinaryPair() != nil
    }

    /// When the controlling agent will nominate, if it is waiting for higher-priority checks.
    var nominationDeadline: ContinuousClock.Instant? {
        guard role == .controlling, !nominationDone, nominating == nil, let firstValidAt,
              bestValidPair() != nil else { return nil }
        return firstValidAt + configuration.nominationDelay
    }

    func bestValidPair() -> Int? {
        var best: Int?
        for index in pairs.indices where pairs[index].state == .succeeded && pairs[index].validLocal != nil {
            if best.map({ pairs[index].priority > pairs[$0].priority }) ?? true { best = index }
        }
        return best
    }

    /// Regular nomination (RFC 8445 section 8.1.1): once the best valid pair is
    /// known (no higher-priority pair is still pending, or the nomination delay
    /// has passed), check it again with USE-CANDIDATE.
    mutating func nominateIfReady(now: ContinuousClock.Instant) {
        guard role == .controlling, !nominationDone, nominating == nil, remoteIntegrity != nil,
              let best = bestValidPair() else { return }
        let bestPriority = pairs[best].priority
        let pending = pairs.contains {
            ($0.state == .waiting || $0.state == .inProgress || $0.state == .frozen) && $0.priority > bestPriority
        }
        if pending, let firstValidAt, now < firstValidAt + configuration.nominationDelay { return }
        logger.debug("nominating \(locals[pairs[best].local].base) -> \(remotes[pairs[best].remote].address)")
        nominating = best
        pairs[best].useCandidateNext = true
        trigger(best, first: true)
    }

    /// Sends at most one check, paced by Ta: a triggered one first, else the
    /// best waiting pair (unfreezing one if none waits).
    mutating func sendPacedCheck(now: ContinuousClock.Instant) {
        guard canSendChecks else { return }
        if let last = lastCheckSentAt, now < last + configuration.checkPacing { return }
        while !triggered.isEmpty {
            let index = triggered.removeFirst()
            pairs[index].isTriggered = false
            if isSendableTriggered(index) {
                sendCheck(pair: index, now: now)
                return
            }
        }
        if let index = nextOrdinaryPair() {
            if pairs[index].state == .frozen { pairs[index].state = .waiting }
            sendCheck(pair: index, now: now)
        }
    }

    /// The attributes of a Binding request from this agent on `pair`.
    func requestAttributes(pair: Int, useCandidate: Bool) -> (attributes: [STUNAttribute], priority: UInt32) {
        let local = locals[pairs[pair].local]
        let priority = ICECandidate.priority(type: .peerReflexive, localPreference: local.localPreference, component: 1)
        var attributes: [STUNAttribute] = []
        attributes.reserveCapacity(6)
        if let software = configuration.software { attributes.append(.software(String(software.prefix(127)))) }
        attributes.append(.username("\(remoteCredentials?.ufrag ?? ""):\(localCredentials.ufrag)"))
        attributes.append(.priority(priority))
        attributes.append(role == .controlling ? .iceControlling(tieBreaker) : .iceControlled(tieBreaker))
        if useCandidate { attributes.append(.useCandidate) }
        return (attributes, priority)
    }

    mutating func sendCheck(pair index: Int, now: ContinuousClock.Instant) {
        guard let remoteIntegrity else { return }
        let useCandidate = pairs[index].useCandidateNext && role == .controlling
        pairs[index].useCandidateNext = false
        let (attributes, priority) = requestAttributes(pair: index, useCandidate: useCandidate)
        let id = STUNTransactionID.random(using: &generator)
        let bytes = STUNMessage(type: .bindingRequest, transactionID: id, attributes: attributes)
            .serialized(integrity: remoteIntegrity, fingerprint: true)
        let source = locals[pairs[index].local].base
        let destination = remotes[pairs[index].remote].address
        transactions[id] = Transaction(
            pair: index, kind: .check, bytes: bytes, source: source, destination: destination,
            sentAt: now, transmissions: 1, retransmissionTimeout: configuration.initialRetransmissionTimeout,
            deadline: now + configuration.initialRetransmissionTimeout,
            useCandidate: useCandidate, sentRole: role, sentPriority: priority
        )
        pairs[index].transaction = id
        if pairs[index].state != .succeeded { pairs[index].state = .inProgress }
        enqueue(bytes, from: source, to: destination)
        lastCheckSentAt = now
        statistics.checksSent += 1
        startChecking(now: now)
    }

    mutating func startChecking(now: ContinuousClock.Instant) {
        if connectionState == .new {
            lastProgressAt = now
            setState(.checking)
        }
    }

    // MARK: Transaction timers

    mutating func processTransactionTimers(now: ContinuousClock.Instant) {
        let due = transactions.filter { $0.value.deadline <= now }.sorted { $0.value.deadline < $1.value.deadline }
        for (id, transaction) in due {
            switch transaction.kind {
            case .consent:
                transactions[id] = nil
            case .gathering where transaction.transmissions >= configuration.maxCheckTransmissions:
                transactions[id] = nil
                logger.debug("STUN server \(transaction.destination) did not answer")
                if !isGathering { emit(.gatheringComplete) }
            case .check, .gathering:
                if transaction.transmissions < configuration.maxCheckTransmissions {
                    var updated = transaction
                    updated.transmissions += 1
                    updated.retransmissionTimeout = min(transaction.retransmissionTimeout * 2, configuration.maxRetransmissionTimeout)
                    updated.deadline = now + updated.retransmissionTimeout
                    transactions[id] = updated
                    enqueue(transaction.bytes, from: transaction.source, to: transaction.destination)
                    if transaction.kind == .check { statistics.checksSent += 1 }
                } else {
                    transactions[id] = nil
                    checkFailed(pair: transaction.pair, id: id, useCandidate: transaction.useCandidate, reason: "timed out")
                }
            }
        }
    }

    /// A check on `pair` failed (timeout, error response, asymmetric response).
    mutating func checkFailed(pair index: Int, id: STUNTransactionID, useCandidate: Bool, reason: String) {
        guard pairs[index].transaction == id else { return }
        pairs[index].transaction = nil
        logger.debug("check \(locals[pairs[index].local].base) -> \(remotes[pairs[index].remote].address) failed: \(reason)")
        if useCandidate || pairs[index].state == .inProgress {
            pairs[index].state = .failed
            pairs[index].validLocal = nil
        }
        if nominating == index { nominating = nil }
    }

    /// Fails the agent when checking can no longer succeed.
    mutating func evaluateChecklist(now: ContinuousClock.Instant) {
        guard connectionState == .checking, selected == nil else { return }
        if let progress = lastProgressAt, now >= progress + configuration.checkingTimeout {
            return fail("no pair was selected within \(configuration.checkingTimeout)")
        }
        guard remoteEndOfCandidates, remoteIntegrity != nil, !pairs.isEmpty else { return }
        let pending = pairs.contains {
            $0.state == .waiting || $0.state == .inProgress || $0.state == .frozen || $0.state == .succeeded
        }
        if !pending, triggered.isEmpty {
            fail("every candidate pair failed")
        }
    }
}
