/// The signalling relay as a sans-IO state machine.
///
/// A driver (the WebSocket server, or an in-memory hub in tests) feeds it
/// "connection opened", "text received", "binary received" and "connection
/// closed", each with the current time, and carries out the `RelayAction`s it
/// returns. It never touches a socket or a clock, so every rule is testable
/// without either.
///
/// The rules (see `Documentation/Signaling.md`):
/// - a connection joins a room (`?room=`, else the default room) and claims
///   `sender` or `receiver`; one occupant per role per room;
/// - `createOffer` goes sender to receiver, `createAnswer` receiver to sender,
///   `iceCandidate` both ways, relayed byte for byte;
/// - messages for a role that has not joined are held (bounded) and delivered
///   when it joins; they are dropped if their author leaves first;
/// - the remaining peer hears `peer-left` when the other leaves;
/// - bad input gets an `error` reply and affects nothing else.
public struct RelayStateMachine: Sendable {
    private struct Connection: Sendable {
        var room: String
        var role: SignalingRole?
        var limiter: RateLimiter
        /// Messages dropped in the current flood: drops less than
        /// `floodQuietPeriod` apart belong to one flood.
        var droppedInFlood = 0
        var lastDrop: ContinuousClock.Instant?
    }

    private struct Room: Sendable {
        var members: Set<ConnectionID> = []
        var occupants: [SignalingRole: ConnectionID] = [:]
        /// Messages written by a role, waiting for the opposite role to join.
        var held: [SignalingRole: [String]] = [:]
        var heldBytes: [SignalingRole: Int] = [:]
    }

    /// The limits in force.
    public let configuration: RelayConfiguration
    private var connections: [ConnectionID: Connection] = [:]
    private var rooms: [String: Room] = [:]

    /// Creates an empty relay.
    public init(configuration: RelayConfiguration = RelayConfiguration()) {
        self.configuration = configuration
    }

    /// The number of open connections the relay knows.
    public var connectionCount: Int { connections.count }
    /// The number of rooms with at least one connection.
    public var roomCount: Int { rooms.count }

    /// The connection holding `role` in `room`, if any.
    public func occupant(of role: SignalingRole, inRoom room: String) -> ConnectionID? {
        rooms[room]?.occupants[role]
    }

    // MARK: Inputs

    /// A connection opened. `room` is the `room` query parameter, if any.
    public mutating func connectionOpened(_ id: ConnectionID, room: String?, at now: ContinuousClock.Instant) -> [RelayAction] {
        precondition(connections[id] == nil, "connection \(id) opened twice")
        let roomName = room ?? configuration.defaultRoom
        guard RoomName.isValid(roomName) else {
            let error = SignalingError(.invalidRoom, "a room name is 1 to \(RoomName.maxLength) characters from A-Z a-z 0-9 - _ .")
            return [.send(SignalingMessage.error(error).jsonText(), to: id), .close(id, .policyViolation("invalid room"))]
        }
        connections[id] = Connection(
            room: roomName,
            limiter: RateLimiter(burst: configuration.rateLimitBurst, perSecond: configuration.rateLimitPerSecond, now: now)
        )
        rooms[roomName, default: Room()].members.insert(id)
        return []
    }

    /// A text frame arrived on a connection.
    public mutating func textReceived(_ text: String, from id: ConnectionID, at now: ContinuousClock.Instant) -> [RelayAction] {
        guard connections[id] != nil else { return [] }
        if let limited = applyRateLimit(to: id, at: now) { return limited }
        guard text.utf8.count <= configuration.maxMessageBytes else {
            return reply(to: id, .messageTooLarge, "messages are limited to \(configuration.maxMessageBytes) bytes")
        }
        let message: SignalingMessage
        do {
            message = try SignalingMessage(json: text)
        } catch {
            return [.send(SignalingMessage.error(error).jsonText(), to: id)]
        }
        switch message {
        case .register(let role):
            return register(id, as: role)
        case .createOffer:
            return relay(text, from: id, allowedFrom: .sender, type: message.type)
        case .createAnswer:
            return relay(text, from: id, allowedFrom: .receiver, type: message.type)
        case .iceCandidate:
            return relay(text, from: id, allowedFrom: nil, type: message.type)
        case .registered, .peerJoined, .peerLeft, .error, .iceServers:
            return reply(to: id, .invalidMessage, "\"\(message.type)\" is sent by the server, not to it")
        }
    }

    /// A binary frame arrived; the protocol is text only.
    public mutating func binaryReceived(from id: ConnectionID, at now: ContinuousClock.Instant) -> [RelayAction] {
        guard connections[id] != nil else { return [] }
        if let limited = applyRateLimit(to: id, at: now) { return limited }
        return reply(to: id, .binaryNotSupported, "send JSON in text frames")
    }

    /// A connection closed (or the driver gave up on it). Safe to call twice.
    public mutating func connectionClosed(_ id: ConnectionID) -> [RelayAction] {
        guard let connection = connections.removeValue(forKey: id) else { return [] }
        var room = rooms[connection.room]!
        room.members.remove(id)
        var actions: [RelayAction] = []
        if let role = connection.role {
            room.occupants[role] = nil
            // An offer or candidate from a peer that left is of no use to the next one.
            room.held[role] = nil
            room.heldBytes[role] = nil
            if let other = room.occupants[role.opposite] {
                actions.append(.send(SignalingMessage.peerLeft(role).jsonText(), to: other))
            }
        }
        rooms[connection.room] = room.members.isEmpty ? nil : room
        return actions
    }

    // MARK: Rules

    private mutating func register(_ id: ConnectionID, as role: SignalingRole) -> [RelayAction] {
        let roomName = connections[id]!.room
        if let current = connections[id]!.role {
            guard current == role else {
                return reply(to: id, .roleAlreadyChosen, "this connection is already the \(current.rawValue)")
            }
            return [.send(SignalingMessage.registered(role: role, room: roomName).jsonText(), to: id)]
        }
        var room = rooms[roomName]!
        if room.occupants[role] != nil {
            return reply(to: id, .roleTaken, "room \"\(roomName)\" already has a \(role.rawValue)")
        }
        room.occupants[role] = id
        connections[id]!.role = role
        var actions: [RelayAction] = configuration.sendsICEServers ? [.sendICEServers(to: id)] : []
        actions.append(.send(SignalingMessage.registered(role: role, room: roomName).jsonText(), to: id))
        if let other = room.occupants[role.opposite] {
            actions.append(.send(SignalingMessage.peerJoined(role.opposite).jsonText(), to: id))
            actions.append(.send(SignalingMessage.peerJoined(role).jsonText(), to: other))
        }
        for text in room.held[role.opposite] ?? [] {
            actions.append(.send(text, to: id))
        }
        room.held[role.opposite] = nil
        room.heldBytes[role.opposite] = nil
        rooms[roomName] = room
        return actions
    }

    private mutating func relay(_ text: String, from id: ConnectionID, allowedFrom allowed: SignalingRole?, type: String) -> [RelayAction] {
        guard let role = connections[id]!.role else {
            return reply(to: id, .notRegistered, "send {\"type\":\"sender\"} or {\"type\":\"receiver\"} first")
        }
        if let allowed, allowed != role {
            return reply(to: id, .wrongRole, "\"\(type)\" is sent by the \(allowed.rawValue), not the \(role.rawValue)")
        }
        let roomName = connections[id]!.room
        var room = rooms[roomName]!
        if let other = room.occupants[role.opposite] {
            return [.send(text, to: other)]
        }
        let heldCount = room.held[role]?.count ?? 0
        let heldBytes = room.heldBytes[role] ?? 0
        guard heldCount < configuration.maxHeldMessages, heldBytes + text.utf8.count <= configuration.maxHeldBytes else {
            return reply(to: id, .holdQueueFull, "the \(role.opposite.rawValue) has not joined and too many messages are waiting for it")
        }
        room.held[role, default: []].append(text)
        room.heldBytes[role] = heldBytes + text.utf8.count
        rooms[roomName] = room
        return []
    }

    /// A flood ends once no message has been dropped for this long.
    static let floodQuietPeriod: Duration = .seconds(1)

    /// Returns the actions for a message the rate limiter drops, or `nil` when it may pass.
    private mutating func applyRateLimit(to id: ConnectionID, at now: ContinuousClock.Instant) -> [RelayAction]? {
        var connection = connections[id]!
        if let lastDrop = connection.lastDrop, now - lastDrop > Self.floodQuietPeriod {
            connection.droppedInFlood = 0
            connection.lastDrop = nil
        }
        let allowed = connection.limiter.allow(at: now)
        if !allowed {
            connection.droppedInFlood += 1
            connection.lastDrop = now
        }
        connections[id] = connection
        if allowed { return nil }
        if connection.droppedInFlood >= configuration.closeAfterDroppedMessages {
            return [.close(id, .policyViolation("rate limit exceeded"))] + connectionClosed(id)
        }
        // One error per flood, so a flood is not echoed back.
        guard connection.droppedInFlood == 1 else { return [] }
        return reply(
            to: id, .rateLimited,
            "more than \(configuration.rateLimitBurst) messages at once or \(Int(configuration.rateLimitPerSecond)) per second; messages are being dropped")
    }

    private func reply(to id: ConnectionID, _ code: SignalingError.Code, _ message: String) -> [RelayAction] {
        [.send(SignalingMessage.error(SignalingError(code, message)).jsonText(), to: id)]
    }
}
