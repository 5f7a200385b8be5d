import Testing
import TestSupport

/// The bounded wait every test relies on.
@Suite("withDeadline")
struct DeadlineTests {
    @Test("withDeadline throws at its deadline even when the operation awaits a task that never ends and ignores cancellation")
    func endsAWaitThatIgnoresCancellation() async throws {
        // A task that ends a minute from now (or when it is itself cancelled,
        // at the end of the test); waiting on its `value` is not cancellable.
        let stubborn = Task<Int, Never> {
            let clock = ContinuousClock()
            let end = clock.now + .seconds(60)
            while clock.now < end, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(50)) }
            return 1
        }
        let started = ContinuousClock.now
        await #expect(throws: DeadlineExceeded.self) {
            try await withDeadline(.milliseconds(200), "a task that never ends") { await stubborn.value }
        }
        // Well before the minute the awaited task lasts (generous: a loaded
        // machine may run the deadline's own timer late).
        #expect(ContinuousClock.now - started < .seconds(30), "the wait ended long before the task did")
        stubborn.cancel()
    }

    @Test("withDeadline returns the operation's value when it finishes in time")
    func returnsTheValue() async throws {
        let value = try await withDeadline(.seconds(5), "a quick operation") { 42 }
        #expect(value == 42)
    }
}
