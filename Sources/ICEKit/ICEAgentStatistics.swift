/// Counters of what the agent dropped or refused, for logs and tests.
public struct ICEAgentStatistics: Hashable, Sendable {
    /// Datagrams that were not well-formed STUN Binding messages.
    public var malformedDatagrams = 0
    /// Requests refused for a missing or wrong USERNAME or MESSAGE-INTEGRITY.
    public var unauthenticatedRequests = 0
    /// Responses with no matching transaction, or that failed the integrity check.
    public var unmatchedResponses = 0
    /// Role conflicts seen (487 sent or received, or a role switch).
    public var roleConflicts = 0
    /// Connectivity check requests sent, retransmissions included.
    public var checksSent = 0
    /// Binding requests received and answered with success.
    public var requestsAnswered = 0
    /// Consent freshness requests sent on the selected pair.
    public var consentRequestsSent = 0
    /// Datagrams dropped because the transmit queue was full.
    public var droppedTransmits = 0
    /// Remote candidates ignored (host names, TCP, other components, wrong ufrag, limits).
    public var ignoredRemoteCandidates = 0

    /// All counters zero.
    public init() {}
}
