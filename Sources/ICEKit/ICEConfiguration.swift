/// Timers and limits of an ``ICEAgent``. The defaults suit browsers as peers.
public struct ICEConfiguration: Sendable {
    /// Ta: the pacing of new connectivity checks (one check per interval).
    public var checkPacing: Duration = .milliseconds(50)
    /// The first retransmission timeout of a connectivity check; doubled after each retransmission.
    public var initialRetransmissionTimeout: Duration = .milliseconds(250)
    /// The largest retransmission timeout.
    public var maxRetransmissionTimeout: Duration = .seconds(3)
    /// How many times a connectivity check is sent in all (first send plus
    /// retransmissions) before the pair fails. The last send is given one more
    /// timeout to be answered.
    public var maxCheckTransmissions = 7
    /// How long the controlling agent waits after its first valid pair for
    /// checks of higher-priority pairs to finish before it nominates.
    public var nominationDelay: Duration = .milliseconds(500)
    /// The interval between consent freshness requests on the selected pair
    /// (RFC 7675); each interval is drawn at random from this range.
    public var consentInterval: ClosedRange<Duration> = .seconds(2)...(.seconds(3))
    /// How long a consent request waits for its response.
    public var consentRequestTimeout: Duration = .seconds(5)
    /// Without a response on the selected pair for this long, the state becomes `disconnected`.
    public var disconnectedTimeout: Duration = .seconds(5)
    /// Without a response on the selected pair for this long, consent is lost and the state becomes `failed`.
    public var consentTimeout: Duration = .seconds(30)
    /// While checking, without progress (a new pair, an authenticated request
    /// or a successful check) for this long, and with no pair selected, the state becomes `failed`.
    public var checkingTimeout: Duration = .seconds(30)
    /// The most local candidates (host and discovered peer-reflexive).
    public var maxLocalCandidates = 16
    /// The most remote candidates (signalled and peer-reflexive), held ones included.
    public var maxRemoteCandidates = 64
    /// The most candidate pairs in the checklist.
    public var maxCandidatePairs = 100
    /// The most datagrams waiting in the transmit queue; more are dropped.
    public var maxQueuedTransmits = 256
    /// A SOFTWARE attribute for outgoing messages (cut to 127 characters), or nil for none.
    public var software: String?

    /// The defaults.
    public init() {}
}
