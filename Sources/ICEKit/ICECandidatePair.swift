/// A local and a remote candidate that the agent checks together.
public struct ICECandidatePair: Hashable, Sendable, CustomStringConvertible {
    /// The local candidate (for a peer-reflexive local candidate, its base is
    /// the socket that sends).
    public var local: ICECandidate
    /// The remote candidate.
    public var remote: ICECandidate
    /// The local socket address that sends and receives for this pair (the base of `local`).
    public var localBase: ICETransportAddress
    /// The remote transport address.
    public var remoteAddress: ICETransportAddress

    /// A pair from its parts.
    public init(local: ICECandidate, remote: ICECandidate, localBase: ICETransportAddress, remoteAddress: ICETransportAddress) {
        self.local = local
        self.remote = remote
        self.localBase = localBase
        self.remoteAddress = remoteAddress
    }

    /// The pair priority of RFC 8445 section 6.1.2.3:
    /// `2^32 * min(G, D) + 2 * max(G, D) + (G > D ? 1 : 0)`, where G is the
    /// controlling agent's candidate priority and D the controlled agent's.
    public static func priority(controlling: UInt32, controlled: UInt32) -> UInt64 {
        let g = UInt64(controlling)
        let d = UInt64(controlled)
        // Wrapping: priorities above 2^31 are out of spec but must not trap.
        return (min(g, d) << 32) &+ 2 &* max(g, d) &+ (g > d ? 1 : 0)
    }

    /// `local -> remote`.
    public var description: String { "\(localBase) -> \(remoteAddress)" }
}
