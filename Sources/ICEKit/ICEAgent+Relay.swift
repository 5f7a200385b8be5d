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
        try addPairedLocalCandidate(.relay, address: relayed, related: mapped, server: server)
    }
}
