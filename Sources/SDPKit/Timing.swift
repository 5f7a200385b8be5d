/// A `t=` line: the session's start and stop times, `0 0` for an unbounded
/// session as in WebRTC (RFC 8866 section 5.9).
public struct Timing: Sendable, Hashable, CustomStringConvertible {
    /// Start time in NTP seconds, 0 for unbounded.
    public var start: UInt64
    /// Stop time in NTP seconds, 0 for unbounded.
    public var stop: UInt64

    /// Creates a timing line; `Timing()` is `0 0`.
    public init(start: UInt64 = 0, stop: UInt64 = 0) {
        self.start = start
        self.stop = stop
    }

    /// Parses the value of a `t=` line.
    init(parsing value: String) throws(SDPError) {
        let fields = TextScanning.fields(value[...])
        guard fields.count == 2, let start = TextScanning.unsigned(fields[0], as: UInt64.self),
            let stop = TextScanning.unsigned(fields[1], as: UInt64.self)
        else {
            throw SDPError(.invalidTiming, "t= needs two numbers")
        }
        self.init(start: start, stop: stop)
    }

    /// The value of the `t=` line.
    public var description: String { "\(start) \(stop)" }
}
