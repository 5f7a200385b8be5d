import Foundation
import Testing
import TestSupport

/// Browser tests must not let ICE probe any address but loopback, so they run
/// inside a network namespace whose only interface is `lo` (scripts/test
/// makes one). This tells whether the process is in such a namespace.
enum LoopbackOnlyNetwork {
    /// The network interfaces other than `lo` visible to this process.
    /// (`/proc/self/net/dev` follows the process's namespace; `/sys/class/net`
    /// would show the namespace sysfs was mounted in.)
    static func otherInterfaces() -> [String] {
        let table = (try? String(contentsOfFile: "/proc/self/net/dev", encoding: .utf8)) ?? ""
        // Two header lines, then "  name: counters..." per interface.
        let names = table.split(separator: "\n").dropFirst(2).compactMap { line in
            line.split(separator: ":", maxSplits: 1).first?.trimmingCharacters(in: .whitespaces)
        }
        return names.filter { $0 != "lo" }.sorted()
    }

    /// A failure message when other interfaces exist, `nil` when only loopback does.
    static func violation() -> String? {
        let others = otherInterfaces()
        guard !others.isEmpty else { return nil }
        return "browser tests must run in a loopback-only network namespace, but this one also has "
            + others.joined(separator: ", ")
            + ". Run the suite with scripts/test (it uses unshare --net), see Documentation/Interop.md."
    }

    /// Set in a test process started by ``runIsolated(_:)``, so that it never starts another.
    static let isolatedMarker = "SWIFT_WEBRTC_LOOPBACK_ONLY_RUN"

    /// Makes sure a browser test runs in a loopback-only network: when this
    /// process already is in one (as under `scripts/test`), returns false and
    /// the test goes on here. Otherwise it runs the test (`Suite/function`)
    /// again in a test process of its own inside a fresh network namespace
    /// (`unshare --net`, with `--map-root-user` when not root), records an
    /// issue if that run failed, and returns true: the caller returns. So a
    /// plain `swift test` on a machine with network interfaces passes too.
    static func runIsolated(_ test: String) async -> Bool {
        guard let violation = violation() else { return false }
        if ProcessInfo.processInfo.environment[isolatedMarker] != nil {
            Issue.record(Comment(rawValue: violation))
            return true
        }
        let result = await IsolatedRuns.shared.run(test)
        if !result.passed {
            Issue.record(Comment(rawValue: "in a loopback-only network namespace \(test) failed:\n\(result.output)"))
        }
        return true
    }
}

/// Each browser test run in its own namespace once (a parameterized test's
/// cases all ask; the first run covers them all).
actor IsolatedRuns {
    static let shared = IsolatedRuns()
    private var results: [String: Task<(passed: Bool, output: String), Never>] = [:]

    func run(_ test: String) async -> (passed: Bool, output: String) {
        if let running = results[test] { return await running.value }
        let task = Task { () -> (passed: Bool, output: String) in
            let unshare = geteuid() == 0 ? ["/usr/bin/unshare", "--net"] : ["/usr/bin/unshare", "--map-root-user", "--net"]
            let ip = NetworkLab.ipPath ?? "/usr/sbin/ip"
            let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().lastPathComponent
            let filter = NSRegularExpression.escapedPattern(for: test)
            do {
                let child = try PackageProgram(
                    testBinary, arguments: ["--testing-library", "swift-testing", "--filter", filter],
                    wrapper: unshare + ["/bin/sh", "-c", "\(ip) link set lo up && exec \"$0\" \"$@\""],
                    environment: [LoopbackOnlyNetwork.isolatedMarker: "1"])
                let status = try await child.waitForExit(within: .seconds(600))
                return (status == 0, child.output.suffix(3000) + child.diagnostics)
            } catch {
                return (false, "\(error)")
            }
        }
        results[test] = task
        return await task.value
    }
}
