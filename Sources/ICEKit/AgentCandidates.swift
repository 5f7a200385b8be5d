/// A local candidate and the socket address it sends from.
struct LocalCandidate {
    var candidate: ICECandidate
    /// The host address of the socket (equal to the candidate's address for host candidates).
    var base: ICETransportAddress
    /// The local preference used in the candidate's priority.
    var localPreference: UInt16
}

/// A remote candidate with a resolved address.
struct RemoteCandidate {
    var candidate: ICECandidate
    var address: ICETransportAddress
}
