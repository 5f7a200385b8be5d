/// Extends 32-bit RTP timestamps to 64 bits across wrap-arounds.
///
/// Each value is placed at the extended number closest to the previous input
/// (a forward step of up to 2^31 - 1 or a backward step of up to 2^31). The first value maps to itself.
public struct TimestampUnwrapper: Sendable, Hashable {
    /// The extended value of the last input, or nil before the first.
    public private(set) var lastValue: Int64?

    /// Creates an unwrapper with no history.
    public init() {}

    /// Extends `value` and remembers it as the new reference.
    public mutating func unwrap(_ value: UInt32) -> Int64 {
        let extended = peek(value)
        lastValue = extended
        return extended
    }

    /// Extends `value` without changing the reference.
    public func peek(_ value: UInt32) -> Int64 {
        guard let last = lastValue else { return Int64(value) }
        let delta = Int32(bitPattern: value &- UInt32(truncatingIfNeeded: last))
        return last + Int64(delta)
    }
}
