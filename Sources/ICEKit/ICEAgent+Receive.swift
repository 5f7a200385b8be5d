extension ICEAgent {
    // MARK: Inputs

    /// Handles a datagram received on the local socket `local` from `remote`.
    /// The caller passes STUN datagrams only (first byte 0...3); anything that
    /// is not a well-formed STUN message is dropped and counted.
    public mutating func handle(datagram: some Collection<UInt8>, from remote: ICETransportAddress, to local: ICETransportAddress, at now: ContinuousClock.Instant) {
        guard connectionState != .closed else { return }
        lastNow = now
        guard connectionState != .failed else { return }
        datagram.withContiguousBytes { bytes in
            let message: STUNMessage
            do {
                message = try STUNMessage(parsing: bytes)
            } catch {
                statistics.malformedDatagrams += 1
                logger.debug("dropping datagram from \(remote): \(error)")
                return
            }
            guard message.type.method == .binding else {
                statistics.malformedDatagrams += 1
                logger.debug("dropping STUN \(message.type) from \(remote)")
                return
            }
            switch message.type.class {
            case .request:
                handleRequest(message, bytes: bytes, from: remote, to: local, now: now)
            case .successResponse, .errorResponse:
                handleResponse(message, bytes: bytes, from: remote, to: local, now: now)
            case .indication:
                break
            }
        }
        drive(now: now)
    }

    /// Handles the passing of time: retransmissions, paced checks,
    /// nomination, consent freshness and timeouts.
    public mutating func handleTimeout(at now: ContinuousClock.Instant) {
        guard connectionState != .closed else { return }
        lastNow = now
        guard connectionState != .failed else { return }
        drive(now: now)
    }

    mutating func drive(now: ContinuousClock.Instant) {
        guard connectionState != .closed, connectionState != .failed else { return }
        processTransactionTimers(now: now)
        processConsent(now: now)
        guard connectionState != .failed else { return }
        nominateIfReady(now: now)
        sendPacedCheck(now: now)
        evaluateChecklist(now: now)
    }

    // MARK: Requests

    mutating func respond(to request: STUNMessage, from local: ICETransportAddress, to remote: ICETransportAddress, error: STUNErrorCode? = nil, unknown: [STUNAttributeType] = [], authenticated: Bool) {
        var attributes: [STUNAttribute] = []
        if let software = configuration.software { attributes.append(.software(String(software.prefix(127)))) }
        let type: STUNMessageType
        if let error {
            type = STUNMessageType(method: .binding, class: .errorResponse)
            attributes.append(.errorCode(error))
            if !unknown.isEmpty { attributes.append(.unknownAttributes(unknown)) }
        } else {
            type = .bindingSuccess
            attributes.append(.xorMappedAddress(remote))
        }
        let response = STUNMessage(type: type, transactionID: request.transactionID, attributes: attributes)
        enqueue(response.serialized(integrity: authenticated ? localIntegrity : nil, fingerprint: true), from: local, to: remote)
    }

    /// A Binding request: authenticate, resolve role conflicts, answer, learn
    /// a peer-reflexive candidate and queue a triggered check (RFC 8445 7.3).
    mutating func handleRequest(_ request: STUNMessage, bytes: UnsafeBufferPointer<UInt8>, from remote: ICETransportAddress, to local: ICETransportAddress, now: ContinuousClock.Instant) {
        guard let username = request.username, request.messageIntegrity != nil else {
            statistics.unauthenticatedRequests += 1
            logger.debug("request from \(remote) without USERNAME or MESSAGE-INTEGRITY")
            return respond(to: request, from: local, to: remote, error: .badRequest, authenticated: false)
        }
        guard username.hasPrefix(localCredentials.ufrag + ":"),
              STUNMessage.verifyIntegrity(of: bytes, using: localIntegrity) else {
            statistics.unauthenticatedRequests += 1
            logger.debug("request from \(remote) failed authentication (username \(username))")
            return respond(to: request, from: local, to: remote, error: .unauthenticated, authenticated: false)
        }
        var unknown: [STUNAttributeType] = []
        for case .other(let type, _) in request.attributes where type.isComprehensionRequired { unknown.append(type) }
        guard unknown.isEmpty else {
            return respond(to: request, from: local, to: remote, error: .unknownAttribute, unknown: unknown, authenticated: true)
        }
        guard let priority = request.priority, priority > 0,
              request.iceControlling != nil || request.iceControlled != nil else {
            logger.debug("ICE request from \(remote) without PRIORITY or role attribute")
            return respond(to: request, from: local, to: remote, error: .badRequest, authenticated: true)
        }

        // Role conflicts, RFC 8445 section 7.3.1.1.
        if role == .controlling, let theirs = request.iceControlling {
            statistics.roleConflicts += 1
            if tieBreaker >= theirs {
                return respond(to: request, from: local, to: remote, error: .roleConflict, authenticated: true)
            }
            switchRole(to: .controlled, now: now)
        } else if role == .controlled, let theirs = request.iceControlled {
            statistics.roleConflicts += 1
            if tieBreaker >= theirs {
                switchRole(to: .controlling, now: now)
            } else {
                return respond(to: request, from: local, to: remote, error: .roleConflict, authenticated: true)
            }
        }

        respond(to: request, from: local, to: remote, authenticated: true)
        statistics.requestsAnswered += 1
        startChecking(now: now)
        if selected == nil { lastProgressAt = now }

        // The pair this check arrived on; a peer-reflexive remote candidate if the source is new.
        guard let localIndex = locals.firstIndex(where: { $0.sendsOwnChecks && $0.base == local }) else {
            logger.debug("request arrived on \(local), which is not a local candidate")
            return
        }
        let remoteIndex: Int
        if let known = remotes.firstIndex(where: { $0.address == remote }) {
            remoteIndex = known
        } else {
            guard remotes.count + heldRemotes.count < configuration.maxRemoteCandidates else {
                statistics.ignoredRemoteCandidates += 1
                logger.debug("not learning peer-reflexive \(remote): too many remote candidates")
                return
            }
            let candidate = ICECandidate(
                foundation: ICECandidate.foundation(type: .peerReflexive, baseAddress: remote.ip),
                priority: priority,
                address: .ip(remote),
                type: .peerReflexive,
                ufrag: remoteCredentials?.ufrag
            )
            remotes.append(RemoteCandidate(candidate: candidate, address: remote))
            remoteIndex = remotes.count - 1
            logger.debug("learned peer-reflexive remote candidate \(candidate)")
        }
        guard let pairIndex = addPair(local: localIndex, remote: remoteIndex) else { return }
        let nominated = request.useCandidate && role == .controlled
        switch pairs[pairIndex].state {
        case .succeeded:
            if nominated { nominate(pair: pairIndex, now: now) }
        case .inProgress:
            if nominated { pairs[pairIndex].nominateOnSuccess = true }
        case .waiting, .frozen, .failed:
            pairs[pairIndex].state = .waiting
            if nominated { pairs[pairIndex].nominateOnSuccess = true }
            trigger(pairIndex)
        }
    }

    /// Switches role after a conflict and re-ranks the checklist.
    mutating func switchRole(to newRole: ICERole, now: ContinuousClock.Instant) {
        guard role != newRole else { return }
        logger.debug("role conflict: switching to \(newRole.rawValue)")
        role = newRole
        recomputePriorities()
        nominationDone = selected != nil
        if let nominating {
            pairs[nominating].useCandidateNext = false
            self.nominating = nil
        }
        for index in pairs.indices { pairs[index].useCandidateNext = false }
        firstValidAt = bestValidPair() == nil ? nil : now
    }

    // MARK: Responses

    /// A Binding response: match, authenticate, check symmetry, then handle
    /// success (a valid pair), 487 (switch role and retry) or other errors.
    mutating func handleResponse(_ response: STUNMessage, bytes: UnsafeBufferPointer<UInt8>, from remote: ICETransportAddress, to local: ICETransportAddress, now: ContinuousClock.Instant) {
        if let transaction = transactions[response.transactionID], transaction.kind == .gathering {
            return handleGatheringResponse(response, transaction: transaction, from: remote, to: local)
        }
        guard let transaction = transactions[response.transactionID], let remoteIntegrity,
              STUNMessage.verifyIntegrity(of: bytes, using: remoteIntegrity) else {
            statistics.unmatchedResponses += 1
            logger.debug("dropping unmatched or unauthenticated response from \(remote)")
            return
        }
        let id = response.transactionID
        transactions[id] = nil
        let index = transaction.pair
        guard remote == transaction.destination, local == transaction.source else {
            return checkFailed(pair: index, id: id, useCandidate: transaction.useCandidate, reason: "asymmetric response from \(remote) to \(local)")
        }
        if response.type.class == .errorResponse {
            guard transaction.kind == .check else { return }
            if response.errorCode?.code == 487 {
                statistics.roleConflicts += 1
                if pairs[index].transaction == id { pairs[index].transaction = nil }
                if role == transaction.sentRole {
                    switchRole(to: role == .controlling ? .controlled : .controlling, now: now)
                }
                if pairs[index].state == .inProgress { pairs[index].state = .waiting }
                if pairs[index].state == .waiting { trigger(index) }
                return
            }
            return checkFailed(pair: index, id: id, useCandidate: transaction.useCandidate, reason: "error \(response.errorCode?.description ?? "without ERROR-CODE")")
        }

        if index == selected { refreshConsent(now: now) }
        // The selected pair's round trip (a nominating check's pair is about
        // to be selected); Karn's rule: a request sent more than once gives no sample.
        if index == selected || transaction.useCandidate, transaction.transmissions == 1 {
            noteRoundTrip(now - transaction.sentAt)
        }
        guard transaction.kind == .check else { return }
        guard let mapped = response.xorMappedAddress ?? response.mappedAddress else {
            return checkFailed(pair: index, id: id, useCandidate: transaction.useCandidate, reason: "no XOR-MAPPED-ADDRESS")
        }
        if pairs[index].transaction == id { pairs[index].transaction = nil }
        pairs[index].state = .succeeded
        pairs[index].validLocal = localCandidateIndex(mapped: mapped, base: transaction.source, priority: transaction.sentPriority) ?? pairs[index].local
        lastProgressAt = now
        if firstValidAt == nil { firstValidAt = now }
        // Unfreeze the pairs that share this foundation (RFC 8445 section 7.2.5.3.3).
        let foundation = pairs[index].foundation
        for other in pairs.indices where pairs[other].state == .frozen && pairs[other].foundation == foundation {
            pairs[other].state = .waiting
        }
        if transaction.useCandidate, role == .controlling {
            nominating = nil
            nominationDone = true
            pairs[index].nominated = true
            select(pair: index, now: now)
        } else if pairs[index].nominateOnSuccess, role == .controlled {
            nominate(pair: index, now: now)
        }
    }

    /// The local candidate a check's mapped address names; a new
    /// peer-reflexive one if no local candidate has that address.
    mutating func localCandidateIndex(mapped: ICETransportAddress, base: ICETransportAddress, priority: UInt32) -> Int? {
        if let known = locals.firstIndex(where: { $0.candidate.transportAddress == mapped }) {
            return known
        }
        guard locals.count < configuration.maxLocalCandidates,
              let host = locals.first(where: { $0.candidate.type == .host && $0.base == base }) else { return nil }
        let candidate = ICECandidate(
            foundation: ICECandidate.foundation(type: .peerReflexive, baseAddress: base.ip),
            priority: priority,
            address: .ip(mapped),
            type: .peerReflexive,
            relatedAddress: .ip(base),
            ufrag: localCredentials.ufrag
        )
        locals.append(LocalCandidate(candidate: candidate, base: base, localPreference: host.localPreference))
        logger.debug("discovered peer-reflexive local candidate \(candidate)")
        return locals.count - 1
    }

    // MARK: Nomination and selection

    /// The controlled side: `pair` is nominated and valid; select it if it
    /// ranks above the current selection.
    mutating func nominate(pair index: Int, now: ContinuousClock.Instant) {
        pairs[index].nominated = true
        pairs[index].nominateOnSuccess = false
        if let selected, selected != index, pairs[selected].priority >= pairs[index].priority,
           connectionState != .disconnected {
            return
        }
        select(pair: index, now: now)
    }

    mutating func select(pair index: Int, now: ContinuousClock.Instant) {
        guard selected != index else { return }
        selected = index
        consentRefreshedAt = now
        nextConsentAt = now + randomConsentInterval()
        if let pair = publicPair(index) {
            logger.debug("selected pair \(pair)")
            emit(.selectedPairChanged(local: pair.local, remote: pair.remote))
        }
        switch connectionState {
        case .new, .checking, .disconnected:
            setState(.connected)
        default:
            break
        }
        updateCompletion()
    }
}
