/// The limits a relay enforces on every connection and room.
public struct RelayConfiguration: Sendable, Hashable {
    /// The largest text message accepted, in UTF-8 bytes; larger ones get a
    /// `message-too-large` error and are dropped.
    public var maxMessageBytes: Int
    /// How many messages a connection may send in one burst before the rate limit applies.
    public var rateLimitBurst: Int
    /// How many messages per second a connection may send over time.
    public var rateLimitPerSecond: Double
    /// After this many dropped messages in one flood (drops less than a
    /// second apart) the flooding connection is closed.
    public var closeAfterDroppedMessages: Int
    /// How many messages are held for a role that has not joined yet.
    public var maxHeldMessages: Int
    /// How many bytes of messages are held for a role that has not joined yet.
    public var maxHeldBytes: Int
    /// The room a connection joins when it names none (the seed's bare URL).
    public var defaultRoom: String
    /// Whether a connection that takes a role is sent the ICE servers
    /// (``RelayAction/sendICEServers(to:)``) just before `registered`.
    public var sendsICEServers = false

    /// Creates a configuration; the defaults suit browsers trickling candidates.
    public init(
        maxMessageBytes: Int = 64 * 1024,
        rateLimitBurst: Int = 100,
        rateLimitPerSecond: Double = 20,
        closeAfterDroppedMessages: Int = 200,
        maxHeldMessages: Int = 100,
        maxHeldBytes: Int = 512 * 1024,
        defaultRoom: String = "default"
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.rateLimitBurst = rateLimitBurst
        self.rateLimitPerSecond = rateLimitPerSecond
        self.closeAfterDroppedMessages = closeAfterDroppedMessages
        self.maxHeldMessages = maxHeldMessages
        self.maxHeldBytes = maxHeldBytes
        self.defaultRoom = defaultRoom
    }
}
