/// An outstanding STUN transaction of the agent.
struct Transaction {
    enum Kind {
        /// A connectivity check (retransmitted; its failure fails the pair).
        case check
        /// A consent freshness request on the selected pair (sent once).
        case consent
        /// A Binding request to a STUN server for a server-reflexive candidate
        /// (retransmitted like a check; no pair).
        case gathering
    }

    /// The pair checked (-1 for a gathering request).
    var pair: Int
    var kind: Kind
    var bytes: [UInt8]
    var source: ICETransportAddress
    var destination: ICETransportAddress
    /// When it was first sent (a round trip is measured only from a request sent once).
    var sentAt: ContinuousClock.Instant
    var transmissions: Int
    var retransmissionTimeout: Duration
    var deadline: ContinuousClock.Instant
    var useCandidate: Bool
    var sentRole: ICERole
    var sentPriority: UInt32
}
