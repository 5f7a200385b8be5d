import Foundation
import Testing
@testable import TestSupport

/// `PackageProgram` reads the exit of a child that Foundation has not yet
/// noticed from `/proc`, so a wait for a program that has ended always ends.
@Suite("exit status of an unreaped child")
struct UnreapedChildStatusTests {
    /// Starts `/bin/sh -c script` with posix_spawn, so nothing reaps it.
    static func spawnUnreaped(_ script: String) throws -> pid_t {
        var pid: pid_t = 0
        let arguments = ["/bin/sh", "-c", script]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let result = posix_spawn(&pid, "/bin/sh", nil, nil, &argv, environ)
        guard result == 0 else { throw DeadlineExceeded(what: "posix_spawn failed: \(result)") }
        return pid
    }

    @Test("a child that exited with 3 reads as wait status 3 << 8 before it is reaped, and a running one reads as nil")
    func exitedChild() async throws {
        let running = try Self.spawnUnreaped("sleep 120")
        let exited = try Self.spawnUnreaped("exit 3")
        defer {
            kill(running, SIGKILL)
            var status: Int32 = 0
            waitpid(running, &status, 0)
            waitpid(exited, &status, 0)
        }
        let status = try await poll(every: .milliseconds(20), for: .seconds(10), "the child to end") {
            PackageProgram.waitStatusOfUnreapedChild(exited)
        }
        #expect(status == 3 << 8)
        #expect(PackageProgram.waitStatusOfUnreapedChild(running) == nil)
    }

    @Test("a child killed by SIGKILL reads as wait status 9")
    func killedChild() async throws {
        let child = try Self.spawnUnreaped("sleep 120")
        defer {
            var status: Int32 = 0
            waitpid(child, &status, 0)
        }
        kill(child, SIGKILL)
        let status = try await poll(every: .milliseconds(20), for: .seconds(10), "the child to end") {
            PackageProgram.waitStatusOfUnreapedChild(child)
        }
        #expect(status == SIGKILL)
    }
}
