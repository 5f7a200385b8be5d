public import ICEKit
public import WebRTCTypes

/// Something a connection reports to its owner, in order.
public enum PeerConnectionEvent: Sendable {
    /// A local ICE candidate to send to the remote peer (trickle ICE).
    case localCandidate(RTCIceCandidate)
    /// No more local candidates will come.
    case endOfLocalCandidates
    /// The ICE agent's state changed.
    case iceConnectionStateChanged(ICEConnectionState)
    /// The connection's overall state changed.
    case connectionStateChanged(PeerConnectionState)
    /// A track or transceiver was added or changed: make and send a new offer
    /// (as a browser's `negotiationneeded`).
    case negotiationNeeded
    /// The remote side's media appeared: a track to read decoded frames from
    /// (as a browser's `track` event).
    case track(RemoteTrack)
    /// The remote side stopped sending on the transceiver with this mid; its
    /// track's frames finish.
    case trackEnded(mid: String)
    /// The remote side asked for a key frame on this transceiver (PLI or
    /// FIR); the local video track makes its next frame one by itself.
    case keyFrameRequested(mid: String)
    /// The remote side stopped answering consent checks for 30 s (RFC 7675):
    /// media stopped at once, and `connectionStateChanged(.failed)` follows.
    case consentExpired
}
