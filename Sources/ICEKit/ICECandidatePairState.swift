/// The state of a candidate pair in the checklist (RFC 8445 section 6.1.2.6).
public enum ICECandidatePairState: String, Hashable, Sendable {
    /// Not checked yet; waits until a pair of the same foundation has been checked.
    case frozen
    /// Ready to be checked.
    case waiting
    /// A check is outstanding.
    case inProgress = "in-progress"
    /// A check succeeded: the pair is valid.
    case succeeded
    /// A check failed or timed out.
    case failed
}
