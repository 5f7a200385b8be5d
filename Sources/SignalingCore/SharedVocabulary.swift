@_exported public import WebRTCTypes

/// The seed's name for a description in a signalling message: the same type
/// a `PeerConnection` takes.
public typealias SessionDescription = RTCSessionDescription

/// The seed's name for a candidate in a signalling message: the same type a
/// `PeerConnection` takes.
public typealias ICECandidateInit = RTCIceCandidate
