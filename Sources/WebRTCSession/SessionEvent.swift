public import WebRTC

/// What a running `SignalingSession` reports, in order.
public enum SessionEvent: Sendable {
    /// The connection came up (ICE and DTLS connected).
    case connected
    /// The remote side's media appeared.
    case track(RemoteTrack)
    /// The remote side stopped sending on a transceiver.
    case trackEnded(mid: String)
    /// Something the other side (or the server) sent could not be used: an
    /// unparsable or inapplicable description, a bad candidate, a message
    /// out of turn, a server error. The session goes on.
    case error(String)
    /// The connection failed (ICE or DTLS).
    case failed
    /// The other side left before anything was negotiated; the session
    /// waits for the next one in that role.
    case peerLeftBeforeCalling
    /// The connection's state changed (every change: `disconnected` while
    /// consent checks go unanswered, `connected` again when they resume).
    case stateChanged(PeerConnectionState)
    /// The peer stopped answering consent checks for 30 s (RFC 7675): no
    /// media leaves any more and the connection fails.
    case consentExpired
    /// The sender restarted ICE (an offer with new credentials) after the
    /// connection stayed `disconnected`.
    case iceRestarted
}
