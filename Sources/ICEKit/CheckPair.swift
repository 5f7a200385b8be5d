/// One entry of the checklist.
struct CheckPair {
    /// Index into `locals` of the host candidate that sends the checks.
    var local: Int
    /// Index into `remotes`.
    var remote: Int
    var foundation: String
    var priority: UInt64
    var state: ICECandidatePairState
    /// Index into `locals` of the candidate the check discovered (the mapped address), once valid.
    var validLocal: Int?
    var nominated = false
    /// Controlled side: USE-CANDIDATE arrived before the pair succeeded.
    var nominateOnSuccess = false
    /// Controlling side: the next check on this pair carries USE-CANDIDATE.
    var useCandidateNext = false
    /// The outstanding connectivity check, if any.
    var transaction: STUNTransactionID?
    /// Whether the pair is in the triggered-check queue.
    var isTriggered = false
}
