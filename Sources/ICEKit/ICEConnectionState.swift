/// The connection state of the agent, in the vocabulary of
/// `RTCIceConnectionState`.
public enum ICEConnectionState: String, Hashable, Sendable {
    /// No checks yet.
    case new
    /// Checks are running; no pair selected yet.
    case checking
    /// A pair is selected and consent is fresh.
    case connected
    /// Connected, the remote side has signalled its last candidate and checking is over.
    case completed
    /// All pairs failed, no pair was selected in time, or consent expired.
    /// The agent does no more work; an ICE restart (a new agent) is needed.
    case failed
    /// The selected pair has had no response for a while; it may come back.
    case disconnected
    /// ``ICEAgent/close()`` was called.
    case closed
}
