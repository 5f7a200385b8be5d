/// Why a `SignalingServer` could not start.
public struct SignalingServerError: Error, Sendable, CustomStringConvertible {
    /// A human-readable explanation, naming the file or setting at fault.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    /// The explanation.
    public var description: String { message }
}
