/// What the delay-based detector concludes about the path: whether queues
/// along it are growing, steady or draining.
public enum BandwidthUsage: Sendable, Hashable {
    /// The one-way delay is steady: the send rate fits the path.
    case normal
    /// The one-way delay grows: a queue builds, the send rate is above what the path carries.
    case overusing
    /// The one-way delay shrinks: a queue drains, the path carries more than is sent.
    case underusing
}
