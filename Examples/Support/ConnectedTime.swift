/// When a call connected, in milliseconds after the program started (set once).
public actor ConnectedTime {
    /// The time, once connected.
    public private(set) var value: Int?

    /// Creates an unset time.
    public init() {}

    /// Whether the call connected.
    public var isSet: Bool { value != nil }

    /// Records the time of connecting; later calls change nothing.
    public func set(_ milliseconds: Int) {
        if value == nil { value = milliseconds }
    }
}
