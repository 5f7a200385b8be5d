extension ICEAgent {
    // MARK: Consent freshness (RFC 7675)

    /// Sends consent requests on the selected pair and moves the state to
    /// `disconnected` or `failed` when responses stop.
    mutating func processConsent(now: ContinuousClock.Instant) {
        guard let selected, let refreshed = consentRefreshedAt else { return }
        switch connectionState {
        case .connected, .completed, .disconnected:
            break
        default:
            return
        }
        if now >= refreshed + configuration.consentTimeout {
            return fail("consent expired: no response on the selected pair for \(configuration.consentTimeout)")
        }
        if connectionState != .disconnected, now >= refreshed + configuration.disconnectedTimeout {
            stateBeforeDisconnect = connectionState
            setState(.disconnected)
        }
        if let next = nextConsentAt, now >= next {
            sendConsentRequest(pair: selected, now: now)
            nextConsentAt = now + randomConsentInterval()
        }
    }

    /// A response arrived on the selected pair.
    mutating func refreshConsent(now: ContinuousClock.Instant) {
        consentRefreshedAt = now
        if connectionState == .disconnected {
            setState(stateBeforeDisconnect)
            updateCompletion()
        }
    }

    mutating func sendConsentRequest(pair index: Int, now: ContinuousClock.Instant) {
        guard let remoteIntegrity, transactions.count < ICEAgent.maxTransactions else { return }
        let (attributes, priority) = requestAttributes(pair: index, useCandidate: false)
        let id = STUNTransactionID.random(using: &generator)
        let bytes = STUNMessage(type: .bindingRequest, transactionID: id, attributes: attributes)
            .serialized(integrity: remoteIntegrity, fingerprint: true)
        let source = locals[pairs[index].local].base
        let destination = remotes[pairs[index].remote].address
        transactions[id] = Transaction(
            pair: index, kind: .consent, bytes: bytes, source: source, destination: destination,
            sentAt: now, transmissions: 1, retransmissionTimeout: configuration.consentRequestTimeout,
            deadline: now + configuration.consentRequestTimeout,
            useCandidate: false, sentRole: role, sentPriority: priority
        )
        enqueue(bytes, from: source, to: destination)
        statistics.consentRequestsSent += 1
    }

    /// A consent interval drawn uniformly from the configured range.
    mutating func randomConsentInterval() -> Duration {
        let low = configuration.consentInterval.lowerBound.nanoseconds
        let high = configuration.consentInterval.upperBound.nanoseconds
        guard high > low else { return configuration.consentInterval.lowerBound }
        return .nanoseconds(Int64.random(in: low...high, using: &generator))
    }
}
