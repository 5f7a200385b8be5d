/// Relayed candidates (RFC 8445 5.1.1.2): an address a TURN server
/// allocated. Their base is the relayed address itself: the agent sends
/// checks "from" it, and its owner carries them through the TURN client.
extension ICEAgent {
    /// Adds the relayed candidate of a TURN allocation and returns it, to
    /// signal to the peer. It is paired with every remote candidate of its
    /// family. Datagrams the agent sends from `relayed` must go through the
    /// TURN client of that allocation; what the client relays back is fed to
    /// ``handle(datagram:from:to:at:)`` with `relayed` as the local address.
    ///
    /// - Parameters:
    ///   - relayed: XOR-RELAYED-ADDRESS of the allocation.
    ///   - mapped: XOR-MAPPED-ADDRESS of the allocation (the related address), if known.
    ///   - server: the TURN server's address (part of the foundation).
    /// - Throws: ``ICEError`` `.invalidAddress`, `.tooManyCandidates`, `.closed`.
    @discardableResult
    public mutating func addLocalRelayedCandidate(
        relayed: ICETransportAddress, mapped: ICETransportAddress?, server: ICETransportAddress
    ) throws -> ICECandidate {
        guard connectionState != .closed else { throw ICEError(.closed, "the agent is closed") }
        guard !relayed.ip.isUnspecified, relayed.port != 0 else {
            throw ICEError(.invalidAddress, "\(relayed) is not a usable relayed address")
        }
        if let existing = locals.first(where: { $0.candidate.type == .relay && $0.base == relayed }) {
            return existing.candidate
        }
        guard locals.count < configuration.maxLocalCandidates else {
            throw ICEError(.tooManyCandidates, "at most \(configuration.maxLocalCandidates) local candidates")
        }
        let relayCount = locals.count { $0.candidate.type == .relay }
        let localPreference = UInt16(clamping: 65535 - relayCount)
        let candidate = ICECandidate(
            foundation: ICECandidate.foundation(type: .relay, baseAddress: relayed.ip, serverAddress: server.ip),
            priority: ICECandidate.priority(type: .relay, localPreference: localPreference),
            address: .ip(relayed), type: .relay, relatedAddress: mapped.map { .ip($0) }, ufrag: localCredentials.ufrag)
        locals.append(LocalCandidate(candidate: candidate, base: relayed, localPreference: localPreference))
        let localIndex = locals.count - 1
        for remoteIndex in remotes.indices {
            addPair(local: localIndex, remote: remoteIndex)
        }
        logger.debug("added relayed candidate \(candidate)")
        return candidate
    }
}
