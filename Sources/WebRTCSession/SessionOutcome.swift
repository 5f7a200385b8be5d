/// Why `SignalingSession.run()` returned.
public enum SessionOutcome: String, Sendable, Hashable {
    /// The other side left the room (`peer-left`).
    case peerLeft = "peer-left"
    /// The connection failed (ICE or DTLS).
    case failed
    /// The signalling connection closed.
    case signallingClosed = "signalling-closed"
    /// The connection was closed locally (or the task cancelled).
    case closed
}
