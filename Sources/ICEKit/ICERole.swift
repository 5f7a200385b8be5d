/// The ICE role of an agent (RFC 8445 section 6.1.1). The offerer is usually
/// controlling; roles may swap on a role conflict.
public enum ICERole: String, Hashable, Sendable {
    /// Nominates the pair to use.
    case controlling
    /// Follows the controlling agent's nomination.
    case controlled
}
