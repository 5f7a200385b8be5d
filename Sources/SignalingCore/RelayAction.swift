/// Identifies one signalling connection to the relay. The driver chooses the
/// values; the relay only compares them.
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    /// The driver's number for the connection.
    public var rawValue: UInt64
    /// Creates an identifier.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    /// `#N`.
    public var description: String { "#\(rawValue)" }
}

/// Why the relay closes a connection, with the WebSocket close code to use.
public struct RelayCloseReason: Hashable, Sendable {
    /// A WebSocket close code (RFC 6455 section 7.4).
    public var code: UInt16
    /// A short human-readable reason.
    public var reason: String

    /// Creates a reason.
    public init(code: UInt16, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// 1008: the peer broke the server's policy (bad room, flooding).
    public static func policyViolation(_ reason: String) -> RelayCloseReason {
        RelayCloseReason(code: 1008, reason: reason)
    }
}

/// What the driver must do after feeding the relay an input.
public enum RelayAction: Hashable, Sendable {
    /// Send this text frame to the connection.
    case send(String, to: ConnectionID)
    /// Close the connection.
    case close(ConnectionID, RelayCloseReason)
    /// Send the connection the ICE servers (an `ice-servers` message with
    /// fresh TURN credentials, which the driver makes: they depend on the
    /// wall clock and a secret the relay does not hold).
    case sendICEServers(to: ConnectionID)
}
