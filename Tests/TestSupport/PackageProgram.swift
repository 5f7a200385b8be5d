public import Foundation
import Synchronization

/// One of the package's executables (`signal-server`, `webrtc-send`,
/// `webrtc-recv`) run as a child process from the build folder beside the
/// test binary, with its output collected as it comes.
public final class PackageProgram: @unchecked Sendable {
    /// The running process.
    public let process = Process()
    private let lock = NSLock()
    private var stdoutText = ""
    private var stderrText = ""
    /// Pipes that reached end of file: after exit, output is complete once both have.
    private var closedPipes = 0
    private var endedBySignal: Bool?

    /// Whether the program was ended by a signal it did not handle; nil
    /// until `waitForExit` has seen it end.
    public var wasKilledBySignal: Bool? { lock.withLock { endedBySignal } }

    /// Starts `name` from the build folder beside the test binary, with the
    /// file at `standardInput` (if any) as its standard input.
    ///
    /// With `lab`, it runs in that lab's network namespace (`ip netns exec`).
    ///
    /// With `wrapper`, it runs through that command instead (such as
    /// `unshare --net sh -c ...`), which gets the program's path and
    /// arguments after its own; `environment` adds variables.
    public init(
        _ name: String, arguments: [String], standardInput: String? = nil, in lab: (lab: NetworkLab, namespace: String)? = nil,
        wrapper: [String] = [], environment: [String: String] = [:]
    ) throws {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let executable = testBinary.deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw DeadlineExceeded(what: "\(executable.path) is missing: build with `swift build --build-tests` first")
        }
        let prefix = (lab.map { $0.lab.prefix(for: $0.namespace) } ?? []) + wrapper
        if prefix.isEmpty {
            process.executableURL = executable
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: prefix[0])
            process.arguments = Array(prefix.dropFirst()) + [executable.path] + arguments
        }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        }
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        if let standardInput {
            guard let input = FileHandle(forReadingAtPath: standardInput) else {
                throw DeadlineExceeded(what: "cannot open \(standardInput) for standard input")
            }
            process.standardInput = input
        }
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            self?.collect(handle) { $0.stdoutText += $1 }
        }
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            self?.collect(handle) { $0.stderrText += $1 }
        }
        try process.run()
    }

    private func collect(_ handle: FileHandle, into append: (PackageProgram, String) -> Void) {
        let data = handle.availableData
        lock.withLock {
            if data.isEmpty {
                handle.readabilityHandler = nil
                closedPipes += 1
            } else {
                append(self, String(decoding: data, as: UTF8.self))
            }
        }
    }

    /// What the program printed on stdout so far.
    public var output: String { lock.withLock { stdoutText } }

    /// The JSON objects printed so far, one per line.
    public var events: [[String: Any]] {
        lock.withLock { stdoutText }.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The first event named `name`, if printed yet.
    public func event(_ name: String) -> [String: Any]? {
        events.first { $0["event"] as? String == name }
    }

    /// What the program wrote on stderr (its statistics line and notes).
    public var diagnostics: String { lock.withLock { String(stderrText.suffix(1500)) } }

    /// Waits (bounded) for the program to exit and its output to be read, and returns its status.
    ///
    /// Output is complete when both pipes reach end of file. A child that
    /// another test started at the same moment can inherit a pipe's write
    /// end (the fork happens between `pipe()` and close-on-exec), and then
    /// end of file comes only when that child exits; so once the program has
    /// exited, what arrived within a short grace period counts as all of it.
    public func waitForExit(within limit: Duration) async throws -> Int32 {
        let exitedAt = Mutex<ContinuousClock.Instant?>(nil)
        return try await poll(every: .milliseconds(100), for: limit, "\(process.executableURL?.lastPathComponent ?? "program") to exit") {
            let status: Int32
            if !self.process.isRunning {
                status = self.process.terminationStatus
                self.lock.withLock { self.endedBySignal = self.process.terminationReason == .uncaughtSignal }
            } else if let zombie = Self.waitStatusOfUnreapedChild(self.process.processIdentifier) {
                // Foundation has not noticed the exit (it can miss it while
                // many children start and end at once); the kernel has.
                let bySignal = zombie & 0x7f != 0
                status = bySignal ? zombie & 0x7f : (zombie >> 8) & 0xff
                self.lock.withLock { self.endedBySignal = bySignal }
            } else {
                return nil
            }
            let now = ContinuousClock.now
            let since = exitedAt.withLock { value -> ContinuousClock.Instant in
                if value == nil { value = now }
                return value!
            }
            guard self.lock.withLock({ self.closedPipes == 2 }) || now - since >= Self.outputGracePeriod else { return nil }
            return status
        }
    }

    /// The fields of `/proc/PID/stat` from the 3rd (the state) on, nil once
    /// the process is reaped. Read without reaping it.
    static func statFields(_ pid: Int32) -> [Substring]? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")")
        else { return nil }
        // The command name (2nd) is in parentheses and may hold spaces.
        return stat[stat.index(after: close)...].split(separator: " ")
    }

    /// Whether process `pid` has ended: it is a zombie, or already reaped
    /// (gone from `/proc`). Foundation's `isRunning` can lag behind this.
    public static func hasEnded(_ pid: Int32) -> Bool {
        guard let fields = statFields(pid) else { return true }
        return fields.first == "Z"
    }

    /// The wait status of child `pid` if it has exited but is not yet
    /// reaped (a zombie): the `exit_code` field (the 52nd) holds it.
    static func waitStatusOfUnreapedChild(_ pid: Int32) -> Int32? {
        guard let fields = statFields(pid), fields.first == "Z", fields.count >= 50 else { return nil }
        return Int32(fields[49].trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// How long after the program exits its output may still be arriving.
    static let outputGracePeriod: Duration = .seconds(2)

    /// Stops the program if it still runs.
    public func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        _ = try? await waitForExit(within: .seconds(5))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
