/// The type of an ICE candidate (RFC 8445 section 5.1.1).
public enum ICECandidateType: String, Hashable, Sendable, CaseIterable {
    /// An address of a local interface.
    case host
    /// Server reflexive: the address a STUN server saw.
    case serverReflexive = "srflx"
    /// Peer reflexive: learned from a connectivity check.
    case peerReflexive = "prflx"
    /// An address on a TURN relay.
    case relay

    /// The recommended type preference of RFC 8445 section 5.1.2.2
    /// (host 126, peer reflexive 110, server reflexive 100, relay 0).
    public var typePreference: UInt32 {
        switch self {
        case .host: 126
        case .peerReflexive: 110
        case .serverReflexive: 100
        case .relay: 0
        }
    }
}
