/// A local candidate and the socket address it sends from.
struct LocalCandidate {
    var candidate: ICECandidate
    /// The host address of the socket (equal to the candidate's address for host candidates).
    var base: ICETransportAddress
    /// The local preference used in the candidate's priority.
    var localPreference: UInt16

    /// Whether checks leave from this candidate itself: a host socket or a
    /// relayed address. Reflexive candidates check from their base.
    var sendsOwnChecks: Bool { candidate.type == .host || candidate.type == .relay }
}

/// A remote candidate with a resolved address.
struct RemoteCandidate {
    var candidate: ICECandidate
    var address: ICETransportAddress
}
