/// Raised when a bounded wait runs out.
struct DeadlineExceeded: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out: \(what)" }
}

/// Runs `operation`, failing with `DeadlineExceeded` if it takes longer than `limit`.
func withDeadline<T: Sendable>(
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
func poll<T: Sendable>(
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
