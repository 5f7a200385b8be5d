/// Server-reflexive candidates (RFC 8445 5.1.1.2): a STUN Binding request
/// (RFC 8489) from each host candidate's socket to a STUN server, whose
/// XOR-MAPPED-ADDRESS is the address a NAT gave that socket.
extension ICEAgent {
    /// Asks the STUN server at `server` for the server-reflexive address of
    /// every host candidate of its address family. Each request is
    /// retransmitted like a check (RFC 8489 6.2.1) and given up after
    /// ``ICEConfiguration/maxCheckTransmissions`` sends. A new candidate is
    /// reported as ``ICEEvent/localCandidateGathered(_:)`` (signal it to the
    /// peer); one equal to its base (no NAT on the way) is redundant and left
    /// out (RFC 8445 5.1.3). ``ICEEvent/gatheringComplete`` follows when no
    /// request is left. Server-reflexive candidates are not paired: checks go
    /// from their base, as RFC 8445 6.1.2.4 prunes them to.
    ///
    /// - Returns: How many requests were sent (0 when no host candidate has the server's family).
    @discardableResult
    public mutating func gatherServerReflexive(from server: ICETransportAddress, at now: ContinuousClock.Instant) -> Int {
        guard connectionState != .closed, connectionState != .failed, !server.ip.isUnspecified, server.port != 0 else { return 0 }
        lastNow = now
        var sent = 0
        for local in locals where local.candidate.type == .host && local.base.family == server.family {
            guard transactions.count < Self.maxTransactions else { break }
            var attributes: [STUNAttribute] = []
            if let software = configuration.software { attributes.append(.software(String(software.prefix(127)))) }
            let id = STUNTransactionID.random(using: &generator)
            let bytes = STUNMessage(type: .bindingRequest, transactionID: id, attributes: attributes)
                .serialized(integrity: nil, fingerprint: true)
            transactions[id] = Transaction(
                pair: -1, kind: .gathering, bytes: bytes, source: local.base, destination: server,
                sentAt: now, transmissions: 1, retransmissionTimeout: configuration.initialRetransmissionTimeout,
                deadline: now + configuration.initialRetransmissionTimeout,
                useCandidate: false, sentRole: role, sentPriority: 0)
            enqueue(bytes, from: local.base, to: server)
            sent += 1
        }
        if sent == 0, !isGathering { emit(.gatheringComplete) }
        return sent
    }

    /// Whether a STUN server request is still outstanding.
    public var isGathering: Bool { transactions.values.contains { $0.kind == .gathering } }

    /// A STUN server's answer to a gathering request (no integrity: the server
    /// does not know our credentials). Only an answer from the server the
    /// request went to, arriving on the socket it left from, counts.
    mutating func handleGatheringResponse(_ response: STUNMessage, transaction: Transaction, from remote: ICETransportAddress, to local: ICETransportAddress) {
        guard remote == transaction.destination, local == transaction.source else {
            statistics.unmatchedResponses += 1
            return
        }
        transactions[response.transactionID] = nil
        defer { if !isGathering { emit(.gatheringComplete) } }
        guard response.type.class == .successResponse, let mapped = response.xorMappedAddress ?? response.mappedAddress else {
            logger.debug("STUN server \(remote) gave no mapped address (\(response.errorCode?.description ?? "no error code"))")
            return
        }
        guard mapped != transaction.source, !locals.contains(where: { $0.candidate.transportAddress == mapped }),
            locals.count < configuration.maxLocalCandidates,
            let base = locals.first(where: { $0.candidate.type == .host && $0.base == transaction.source })
        else { return }
        let candidate = ICECandidate(
            foundation: ICECandidate.foundation(type: .serverReflexive, baseAddress: base.base.ip, serverAddress: remote.ip),
            priority: ICECandidate.priority(type: .serverReflexive, localPreference: base.localPreference),
            address: .ip(mapped), type: .serverReflexive, relatedAddress: .ip(base.base), ufrag: localCredentials.ufrag)
        locals.append(LocalCandidate(candidate: candidate, base: base.base, localPreference: base.localPreference))
        logger.debug("gathered server-reflexive candidate \(candidate)")
        emit(.localCandidateGathered(candidate))
    }
}
