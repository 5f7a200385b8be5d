public import Logging

/// A TURN client (RFC 8656) for one allocation on one server, as a sans-IO
/// state machine like ``ICEAgent``.
///
/// It allocates a relayed transport address with the long-term credential
/// (answering 401 with the realm and nonce, and 438 with the new nonce),
/// refreshes the allocation before it expires, installs a permission for
/// each peer it sends to, binds a channel to each peer once the permission
/// is in place, and keeps permissions and channels refreshed for as long as
/// the client lives. Data goes out as ChannelData where a channel is bound and
/// as Send indications before that.
///
/// The owner:
/// - calls ``allocate(at:)`` once;
/// - over UDP, feeds every datagram from the server to ``handle(datagram:at:)``
///   and relays what it returns; over TCP or TLS, feeds the stream's bytes to
///   ``handle(stream:at:)`` and reads ``pollReceived()``;
/// - sends what ``pollTransmit()`` returns to the server (a datagram, or
///   bytes for the stream), reads ``pollEvent()``, and calls
///   ``handleTimeout(at:)`` at ``nextTimeout()``;
/// - sends data to a peer with ``send(_:to:at:)``.
///
/// Every queue and table is bounded by ``TURNClientConfiguration``.
public struct TURNClient: Sendable {
    /// Where the allocation stands.
    public enum State: String, Hashable, Sendable {
        /// ``allocate(at:)`` has not been called.
        case idle
        /// The Allocate request is outstanding.
        case allocating
        /// The relayed address is ready.
        case allocated
        /// No allocation: refused, timed out or lost.
        case failed
        /// ``close(at:)`` was called.
        case closed
    }

    /// The server's address.
    public let server: ICETransportAddress
    /// How the client reaches the server.
    public let transport: TURNTransport
    /// Timers and limits.
    public let configuration: TURNClientConfiguration
    /// Where the allocation stands.
    public internal(set) var state = State.idle
    /// The relayed transport address, once allocated.
    public internal(set) var relayedAddress: ICETransportAddress?
    /// The client's address as the server saw it (XOR-MAPPED-ADDRESS), once allocated.
    public internal(set) var mappedAddress: ICETransportAddress?
    /// Counters of renewals and of dropped input.
    public internal(set) var statistics = TURNClientStatistics()

    let username: String
    let password: String
    var realm: String?
    var nonce: String?
    var integrity: STUNIntegrity?
    var logger: Logger
    var generator = SystemRandomNumberGenerator()

    var transactions: [STUNTransactionID: TURNTransaction] = [:]
    var allocationRefreshAt: ContinuousClock.Instant?
    var permissions: [ICEIPAddress: TURNPermission] = [:]
    var channels: [ICETransportAddress: TURNChannel] = [:]
    var peersByChannel: [UInt16: ICETransportAddress] = [:]
    var nextChannelNumber: UInt16 = 0x4000
    var pendingPayloads: [(peer: ICETransportAddress, bytes: [UInt8])] = []
    var outgoing = BoundedQueue<[UInt8]>(capacity: 512)
    var events = BoundedQueue<TURNClientEvent>(capacity: 16)
    var received = BoundedQueue<TURNPeerData>(capacity: 256)
    var streamBuffer: [UInt8] = []

    /// A client for the server at `server`, with the long-term credential
    /// `username` and `password` (for a TURN REST API deployment, the
    /// short-lived name and password the signalling server handed out).
    public init(
        server: ICETransportAddress, transport: TURNTransport = .udp, username: String, password: String,
        configuration: TURNClientConfiguration = TURNClientConfiguration(),
        logger: Logger = Logger(label: "ICEKit.TURNClient")
    ) {
        self.server = server
        self.transport = transport
        self.username = username
        self.password = password
        self.configuration = configuration
        self.logger = logger
    }

    // MARK: Control

    /// Sends the first Allocate request. Does nothing unless the state is `idle`.
    public mutating func allocate(at now: ContinuousClock.Instant) {
        guard state == .idle else { return }
        state = .allocating
        sendRequest(.allocate, at: now)
    }

    /// Ends the allocation: a Refresh with LIFETIME 0 goes out (not waited
    /// for) and the client is `closed`; nothing more is sent or relayed.
    public mutating func close(at now: ContinuousClock.Instant) {
        guard state != .closed else { return }
        let wasAllocated = state == .allocated
        transactions.removeAll()
        permissions.removeAll()
        channels.removeAll()
        peersByChannel.removeAll()
        pendingPayloads.removeAll()
        outgoing.removeAll()
        if wasAllocated { sendRequest(.refresh(lifetime: 0), at: now) }
        transactions.removeAll()
        state = .closed
    }

    // MARK: Outputs

    /// The next bytes for the server: a datagram over UDP, a framed message over TCP or TLS.
    public mutating func pollTransmit() -> [UInt8]? { outgoing.pop() }

    /// The next event.
    public mutating func pollEvent() -> TURNClientEvent? { events.pop() }

    /// The next data a peer sent through the relay that arrived over a
    /// stream or in a Data indication (ChannelData over UDP is returned by
    /// ``handle(datagram:at:)`` in place instead).
    public mutating func pollReceived() -> TURNPeerData? { received.pop() }

    /// When ``handleTimeout(at:)`` should next be called.
    public func nextTimeout() -> ContinuousClock.Instant? {
        guard state == .allocating || state == .allocated else { return nil }
        var earliest: ContinuousClock.Instant?
        func consider(_ instant: ContinuousClock.Instant?) {
            guard let instant else { return }
            if earliest.map({ instant < $0 }) ?? true { earliest = instant }
        }
        for transaction in transactions.values { consider(transaction.deadline) }
        consider(allocationRefreshAt)
        for permission in permissions.values { consider(permission.refreshAt) }
        for channel in channels.values { consider(channel.refreshAt) }
        return earliest
    }

    /// Retransmits requests, fails those that ran out of time, and renews
    /// the allocation, permissions and channels that are due.
    public mutating func handleTimeout(at now: ContinuousClock.Instant) {
        guard state == .allocating || state == .allocated else { return }
        for (id, transaction) in transactions where transaction.deadline <= now {
            if !transport.isStream, transaction.transmissions < configuration.maxTransmissions {
                transactions[id]?.transmissions += 1
                transactions[id]?.retransmissionTimeout = transaction.retransmissionTimeout * 2
                transactions[id]?.deadline = now + transaction.retransmissionTimeout * 2
                push(transaction.bytes)
            } else {
                transactions[id] = nil
                requestFailed(transaction.purpose, TURNClientError("\(transaction.purpose) got no answer from \(server)"), at: now)
                guard state == .allocated || state == .allocating else { return }
            }
        }
        guard state == .allocated else { return }
        if let due = allocationRefreshAt, due <= now {
            allocationRefreshAt = nil
            sendRequest(.refresh(lifetime: UInt32(configuration.requestedLifetime.components.seconds)), at: now)
        }
        for (ip, permission) in permissions where permission.refreshAt.map({ $0 <= now }) ?? false {
            permissions[ip]?.refreshAt = nil
            sendRequest(.permission(ip), at: now)
        }
        for (peer, channel) in channels where channel.refreshAt.map({ $0 <= now }) ?? false {
            channels[peer]?.refreshAt = nil
            sendRequest(.channelBind(channel.number, peer), at: now)
        }
    }

    mutating func push(_ bytes: [UInt8]) {
        if !outgoing.push(bytes) { statistics.droppedOutput += 1 }
    }

    mutating func fail(_ error: TURNClientError) {
        guard state == .allocating || state == .allocated else { return }
        logger.debug("TURN allocation on \(server) failed: \(error)")
        state = .failed
        transactions.removeAll()
        permissions.removeAll()
        channels.removeAll()
        peersByChannel.removeAll()
        pendingPayloads.removeAll()
        allocationRefreshAt = nil
        events.push(.failed(error))
    }
}

/// What a ``TURNClient`` counted.
public struct TURNClientStatistics: Hashable, Sendable {
    /// Allocation refreshes the server confirmed.
    public var allocationRefreshes = 0
    /// Permission renewals the server confirmed (not the first installs).
    public var permissionRefreshes = 0
    /// Channel binding renewals the server confirmed (not the first bindings).
    public var channelRefreshes = 0
    /// Requests sent again because the nonce had gone stale (438).
    public var staleNonces = 0
    /// Datagrams and messages from the server dropped: malformed,
    /// unexpected, failing integrity, or over a bound.
    public var droppedInput = 0
    /// Messages for the server dropped because the transmit queue was full.
    public var droppedOutput = 0
}

/// Data a peer sent through the relay.
public struct TURNPeerData: Hashable, Sendable {
    /// The peer's transport address (as the relay saw it).
    public var peer: ICETransportAddress
    /// The data.
    public var bytes: [UInt8]

    /// Data from its parts.
    public init(peer: ICETransportAddress, bytes: [UInt8]) {
        self.peer = peer
        self.bytes = bytes
    }
}

/// A permission for one peer IP address (RFC 8656 section 9).
struct TURNPermission {
    /// Whether the server confirmed it.
    var installed = false
    /// When to renew it; nil while a request is outstanding.
    var refreshAt: ContinuousClock.Instant?
}

/// A channel bound (or being bound) to one peer transport address (RFC 8656 section 12).
struct TURNChannel {
    var number: UInt16
    /// Whether the server confirmed the binding; data uses ChannelData only then.
    var bound = false
    /// When to renew it; nil while a request is outstanding.
    var refreshAt: ContinuousClock.Instant?
}
