/// The `a=extmap` URIs of the RTP header extensions WebRTC uses.
///
/// RTPKit only names them; mapping them to local ids is negotiation, which
/// lives with SDP.
public enum RTPHeaderExtensionURI {
    /// Absolute send time: 24-bit 6.18 fixed-point seconds (see ``NTPTimestamp/absoluteSendTime``).
    public static let absoluteSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
    /// Transport-wide sequence number for transport-wide congestion control (16-bit).
    public static let transportWideCC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
    /// The media identification (`a=mid`) of the packet's m-section (RFC 8843).
    public static let sdesMID = "urn:ietf:params:rtp-hdrext:sdes:mid"
    /// The RTP stream identifier (RFC 8852).
    public static let sdesRTPStreamID = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
    /// The repaired RTP stream identifier (RFC 8852).
    public static let sdesRepairedRTPStreamID = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
    /// The client-to-mixer audio level (RFC 6464).
    public static let audioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
    /// The transmission time offset (RFC 5450).
    public static let transmissionTimeOffset = "urn:ietf:params:rtp-hdrext:toffset"
    /// The coordination of video orientation (3GPP TS 26.114).
    public static let videoOrientation = "urn:3gpp:video-orientation"
    /// The playout delay limits (WebRTC).
    public static let playoutDelay = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"
    /// The absolute capture time (WebRTC).
    public static let absoluteCaptureTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time"
}
