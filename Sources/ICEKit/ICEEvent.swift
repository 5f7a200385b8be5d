/// Something the agent reports to its owner.
public enum ICEEvent: Hashable, Sendable {
    /// The connection state changed to the given state.
    case connectionStateChanged(ICEConnectionState)
    /// A new pair was selected: media goes from `local`'s base to `remote`.
    /// ``ICEAgent/selectedPair`` has the socket addresses.
    case selectedPairChanged(local: ICECandidate, remote: ICECandidate)
    /// A STUN server told a new local candidate (server-reflexive): signal it to the peer.
    case localCandidateGathered(ICECandidate)
    /// No request to a STUN server is outstanding any more.
    case gatheringComplete
}
