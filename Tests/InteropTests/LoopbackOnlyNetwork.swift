import Foundation

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
}
