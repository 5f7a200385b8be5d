public import SignalingCore
public import WebRTC

/// Converts between the signalling messages (SignalingCore) and the
/// connection's types (WebRTC), which know nothing of each other.
public enum SignalingBridge {
    /// The signalling form of a local description.
    public static func message(for description: RTCSessionDescription) -> SignalingMessage {
        let sdp = SessionDescription(type: description.type == .offer ? .offer : .answer, sdp: description.sdp)
        return description.type == .offer ? .createOffer(sdp) : .createAnswer(sdp)
    }

    /// The connection's form of a received description.
    public static func description(from sdp: SessionDescription) -> RTCSessionDescription {
        RTCSessionDescription(type: sdp.type == .answer ? .answer : .offer, sdp: sdp.sdp)
    }

    /// The signalling form of a local candidate.
    public static func message(for candidate: RTCIceCandidate) -> SignalingMessage {
        .iceCandidate(ICECandidateInit(
            candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex,
            usernameFragment: candidate.usernameFragment))
    }

    /// The connection's form of a received candidate; `nil` (end of candidates) becomes an empty candidate.
    public static func candidate(from candidate: ICECandidateInit?) -> RTCIceCandidate {
        guard let candidate else { return RTCIceCandidate(candidate: "") }
        return RTCIceCandidate(
            candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex,
            usernameFragment: candidate.usernameFragment)
    }
}
