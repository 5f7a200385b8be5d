/// The direction attribute of a media section (RFC 8866 section 6.7):
/// whether this side sends and whether it receives.
public enum Direction: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Sends and receives (the default when no direction attribute is present).
    case sendrecv
    /// Sends only.
    case sendonly
    /// Receives only.
    case recvonly
    /// Neither sends nor receives.
    case inactive

    /// Creates the direction with the given send and receive halves.
    public init(sends: Bool, receives: Bool) {
        switch (sends, receives) {
        case (true, true): self = .sendrecv
        case (true, false): self = .sendonly
        case (false, true): self = .recvonly
        case (false, false): self = .inactive
        }
    }

    /// Whether this side sends.
    public var sends: Bool { self == .sendrecv || self == .sendonly }
    /// Whether this side receives.
    public var receives: Bool { self == .sendrecv || self == .recvonly }

    /// The same direction seen from the other side: `sendonly` and `recvonly` swap.
    public var reversed: Direction { Direction(sends: receives, receives: sends) }

    /// The direction an answerer may use given the offerer's direction and what
    /// the answerer wishes: it sends only if it wishes to and the offerer
    /// receives, and receives only if it wishes to and the offerer sends
    /// (RFC 8829 section 5.3.1; RFC 3264 section 6.1).
    public func answering(offered offer: Direction) -> Direction {
        Direction(sends: sends && offer.receives, receives: receives && offer.sends)
    }

    /// The attribute name, such as `sendrecv`.
    public var description: String { rawValue }
}
