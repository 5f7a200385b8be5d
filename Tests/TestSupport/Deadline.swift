/// Raised when a bounded wait runs out.
public struct DeadlineExceeded: Error, CustomStringConvertible {
    /// What was waited for.
    public var what: String
    /// Creates the error.
    public init(what: String) { self.what = what }
    /// `timed out: what`.
    public var description: String { "timed out: \(what)" }
}

/// Runs `operation`, failing with `DeadlineExceeded` if it takes longer than `limit`.
public func withDeadline<T: Sendable>(
    _ limit: Duration, _ what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw DeadlineExceeded(what: what)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Calls `probe` every `interval` until it returns a value, failing after `limit`.
@discardableResult
public func poll<T: Sendable>(
    every interval: Duration = .milliseconds(250), for limit: Duration, _ what: String,
    _ probe: @escaping @Sendable () async throws -> T?
) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
        if let value = try await probe() { return value }
        try await Task.sleep(for: interval)
    }
    throw DeadlineExceeded(what: what)
}
