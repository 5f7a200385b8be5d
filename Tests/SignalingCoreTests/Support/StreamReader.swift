/// Raised when a bounded wait runs out.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Raised when a stream ended while a test still expected an element.
struct StreamEnded: Error, CustomStringConvertible {
    var what: String
    var description: String { "the stream finished before \(what)" }
}

/// Reads a stream one element at a time, never waiting longer than a limit,
/// so a test that misses a message fails instead of hanging.
actor StreamReader<Element: Sendable> {
    private var iterator: AsyncThrowingStream<Element, any Error>.Iterator

    init(_ stream: AsyncThrowingStream<Element, any Error>) {
        iterator = stream.makeAsyncIterator()
    }

    /// The next element, or `nil` when the stream finished.
    /// - Throws: `TimedOut` after `limit`; whatever the stream threw.
    nonisolated func next(within limit: Duration = .seconds(5), _ what: String = "the next message") async throws -> Element? {
        try await withThrowingTaskGroup(of: Element?.self) { group in
            group.addTask { try await self.unboundedNext() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw TimedOut(what: what)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// The next element; fails when the stream finished or nothing came within `limit`.
    nonisolated func element(within limit: Duration = .seconds(5), _ what: String = "the next message") async throws -> Element {
        guard let element = try await next(within: limit, what) else { throw StreamEnded(what: what) }
        return element
    }

    private func unboundedNext() async throws -> Element? {
        // The iterator shares its state with its copies; write the copy back for clarity.
        var copy = iterator
        defer { iterator = copy }
        return try await copy.next(isolation: self)
    }
}
