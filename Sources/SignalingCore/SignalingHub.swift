public import Logging

/// Runs a `RelayStateMachine` for many concurrent connections: the one place
/// where relay state lives in a process.
///
/// A transport (the WebSocket server, or `InMemorySignalingChannel`) opens a
/// connection, feeds it what arrives, and forwards what comes out of the
/// connection's `outputs` stream. The hub reads the clock and hands the time
/// to the state machine.
public actor SignalingHub {
    /// What the transport must do on one connection.
    public enum Output: Sendable, Hashable {
        /// Send this text frame.
        case text(String)
        /// Close the connection; nothing more will follow.
        case close(RelayCloseReason)
    }

    private var machine: RelayStateMachine
    private var sinks: [ConnectionID: AsyncStream<Output>.Continuation] = [:]
    private var nextID: UInt64 = 1
    private let logger: Logger
    private let iceServers: (@Sendable () -> [SignalingICEServer])?

    /// Creates a hub with the given limits.
    ///
    /// - Parameter iceServers: when given, every connection that takes a
    ///   role is first sent an `ice-servers` message with what this returns
    ///   (called each time, so TURN credentials can be fresh).
    public init(
        configuration: RelayConfiguration = RelayConfiguration(),
        iceServers: (@Sendable () -> [SignalingICEServer])? = nil,
        logger: Logger = Logger(label: "signaling.hub")
    ) {
        var configuration = configuration
        configuration.sendsICEServers = iceServers != nil
        self.machine = RelayStateMachine(configuration: configuration)
        self.iceServers = iceServers
        self.logger = logger
    }

    /// The number of open connections.
    public var connectionCount: Int { machine.connectionCount }

    /// Opens a connection in `room` (the default room when `nil`). The stream
    /// yields what to send on it and finishes after a `.close` or `close(_:)`.
    public func open(room: String?) -> (id: ConnectionID, outputs: AsyncStream<Output>) {
        let id = ConnectionID(nextID)
        nextID += 1
        let (stream, continuation) = AsyncStream.makeStream(of: Output.self, bufferingPolicy: .unbounded)
        sinks[id] = continuation
        logger.debug("connection opened", metadata: ["connection": "\(id)", "room": "\(room ?? "<default>")"])
        perform(machine.connectionOpened(id, room: room, at: .now))
        return (id, stream)
    }

    /// A text frame arrived on `id`. Returns `false` when `id` is not open.
    @discardableResult
    public func receive(text: String, from id: ConnectionID) -> Bool {
        guard sinks[id] != nil else { return false }
        perform(machine.textReceived(text, from: id, at: .now))
        return true
    }

    /// A binary frame arrived on `id`.
    public func receiveBinary(from id: ConnectionID) {
        perform(machine.binaryReceived(from: id, at: .now))
    }

    /// The connection `id` closed. Safe to call more than once.
    public func close(_ id: ConnectionID) {
        perform(machine.connectionClosed(id))
        if let sink = sinks.removeValue(forKey: id) {
            logger.debug("connection closed", metadata: ["connection": "\(id)"])
            sink.finish()
        }
    }

    private func perform(_ actions: [RelayAction]) {
        for action in actions {
            switch action {
            case .send(let text, let id):
                sinks[id]?.yield(.text(text))
            case .sendICEServers(let id):
                if let iceServers { sinks[id]?.yield(.text(SignalingMessage.iceServers(iceServers()).jsonText())) }
            case .close(let id, let reason):
                logger.info("closing connection", metadata: ["connection": "\(id)", "reason": "\(reason.reason)"])
                sinks[id]?.yield(.close(reason))
                sinks.removeValue(forKey: id)?.finish()
            }
        }
    }
}
