/// An SDP offer or answer as the W3C `RTCSessionDescriptionInit` carries it:
/// `{"type": "offer", "sdp": "v=0..."}`.
///
/// This one type is what the signalling messages carry and what a
/// `PeerConnection` takes and gives, so an app passes descriptions through
/// unchanged. The seed's pages send `pc.localDescription` in the `sdp` field
/// of `createOffer` and `createAnswer`, so that is the shape on the wire.
public struct RTCSessionDescription: Sendable, Hashable, Codable {
    /// The SDP type.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// An SDP offer.
        case offer
        /// An SDP answer.
        case answer
        /// A provisional answer.
        case pranswer
        /// A rollback of the pending description.
        case rollback
    }

    /// Whether this is an offer or an answer.
    public var type: Kind
    /// The SDP text itself.
    public var sdp: String

    /// Creates a description from its type and SDP text.
    public init(type: Kind, sdp: String) {
        self.type = type
        self.sdp = sdp
    }
}
