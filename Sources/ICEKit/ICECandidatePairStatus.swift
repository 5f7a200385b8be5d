/// A snapshot of one candidate pair of the agent's checklist.
public struct ICECandidatePairStatus: Hashable, Sendable {
    /// The pair (the local side is the peer-reflexive candidate a check discovered, if any).
    public var pair: ICECandidatePair
    /// Its state.
    public var state: ICECandidatePairState
    /// Its priority for the current roles.
    public var priority: UInt64
    /// Whether the pair has been nominated.
    public var isNominated: Bool
}
