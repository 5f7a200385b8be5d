/// An SDP offer or answer with its type, as `RTCSessionDescriptionInit` in a browser.
public struct RTCSessionDescription: Sendable, Hashable {
    /// The JSEP type of a description.
    public enum Kind: String, Sendable, Hashable {
        /// An offer.
        case offer
        /// An answer.
        case answer
    }

    /// Offer or answer.
    public var type: Kind
    /// The SDP text.
    public var sdp: String

    /// Creates a description.
    public init(type: Kind, sdp: String) {
        self.type = type
        self.sdp = sdp
    }
}
