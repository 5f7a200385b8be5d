public import ICEKit

/// The candidate pair media flows over, as `getStats()` describes it
/// (`candidate-pair` with its local and remote `candidate`s).
public struct SelectedCandidatePair: Sendable, Hashable, CustomStringConvertible {
    /// The local candidate (`relay` when the call goes through a TURN server).
    public var local: ICECandidate
    /// The remote candidate.
    public var remote: ICECandidate
    /// For a relayed local candidate, how this side reaches its TURN server
    /// (W3C's `relayProtocol`); nil otherwise.
    public var relayProtocol: TURNTransport?

    /// A pair from its parts.
    public init(local: ICECandidate, remote: ICECandidate, relayProtocol: TURNTransport? = nil) {
        self.local = local
        self.remote = remote
        self.relayProtocol = relayProtocol
    }

    /// For example `relay udp (via tcp) 203.0.113.5:49152 -> srflx udp 198.51.100.7:40000`.
    public var description: String {
        let via = relayProtocol.map { " (via \($0))" } ?? ""
        return "\(local.type.rawValue) \(local.transport)\(via) \(local.address) -> \(remote.type.rawValue) \(remote.transport) \(remote.address)"
    }
}

extension PeerConnectionCore {
    /// The pair media flows over, once ICE selected one.
    public var selectedCandidatePair: SelectedCandidatePair? {
        guard let pair = ice?.selectedPair else { return nil }
        let relay = pair.local.type == .relay
            ? relays.first { $0.client.relayedAddress == pair.localBase }?.client.transport : nil
        return SelectedCandidatePair(local: pair.local, remote: pair.remote, relayProtocol: relay)
    }
}
