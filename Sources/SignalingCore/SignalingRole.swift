/// The two seats of a one-to-one call: the peer that offers and sends media,
/// and the peer that answers and receives it.
public enum SignalingRole: String, Sendable, Hashable, CaseIterable, Codable {
    /// The offering side (the seed's `Sender`).
    case sender
    /// The answering side (the seed's `Receiver`).
    case receiver

    /// The role on the other end of the call.
    public var opposite: SignalingRole {
        switch self {
        case .sender: .receiver
        case .receiver: .sender
        }
    }
}
