/// The part a native peer plays in the seed's protocol.
public enum SessionRole: String, Sendable, Hashable {
    /// Offers (on every `negotiationNeeded`), takes answers.
    case sender
    /// Answers every offer.
    case receiver
}
