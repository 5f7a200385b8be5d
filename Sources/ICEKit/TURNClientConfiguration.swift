/// Timers and limits of a ``TURNClient``. The defaults are RFC 8656's.
public struct TURNClientConfiguration: Sendable {
    /// The allocation lifetime asked for; the server may grant less.
    public var requestedLifetime: Duration = .seconds(600)
    /// How long a permission lasts at the server (RFC 8656: 300 s, not signalled).
    public var permissionLifetime: Duration = .seconds(300)
    /// How long a channel binding lasts at the server (RFC 8656: 600 s, not signalled).
    public var channelBindingLifetime: Duration = .seconds(600)
    /// The first retransmission timeout of a request over UDP; doubled after each one.
    public var initialRetransmissionTimeout: Duration = .milliseconds(250)
    /// How many times a request is sent over UDP before it fails.
    public var maxTransmissions = 7
    /// How long a request over TCP or TLS (never retransmitted) waits for its answer.
    public var streamTransactionTimeout: Duration = .milliseconds(39_500)
    /// The most peers (permissions and channels) at once.
    public var maxPeers = 64
    /// The most payloads held while their permission is being installed, over all peers.
    public var maxPendingPayloads = 64
    /// The most bytes of a TCP or TLS stream held while a message is incomplete.
    public var maxStreamBuffer = 131_072
    /// A SOFTWARE attribute for outgoing requests, or nil for none.
    public var software: String?

    /// The defaults.
    public init() {}

    /// When to renew something that lasts `lifetime`: a minute early, or
    /// after half of it when it is shorter than two minutes.
    func refreshDelay(for lifetime: Duration) -> Duration {
        lifetime >= .seconds(120) ? lifetime - .seconds(60) : lifetime / 2
    }
}
