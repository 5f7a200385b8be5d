import Foundation
import TestSupport

/// One of the package's example executables (`webrtc-send`, `webrtc-recv`)
/// run as a child process, with its JSON event lines collected.
final class ExampleProgram: @unchecked Sendable {
    let process = Process()
    private let lock = NSLock()
    private var stdoutText = ""
    private var stderrText = ""

    /// Starts `name` from the build folder beside the test binary.
    init(_ name: String, arguments: [String]) throws {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let executable = testBinary.deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw DeadlineExceeded(what: "\(executable.path) is missing: build with `swift build --build-tests` first")
        }
        process.executableURL = executable
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        stdout.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.stdoutText += String(decoding: data, as: UTF8.self) }
        }
        stderr.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let data = handle.availableData
            guard let self, !data.isEmpty else { return }
            self.lock.withLock { self.stderrText += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// The JSON objects printed so far, one per line.
    var events: [[String: Any]] {
        lock.withLock { stdoutText }.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// The first event named `name`, if printed yet.
    func event(_ name: String) -> [String: Any]? {
        events.first { $0["event"] as? String == name }
    }

    /// What the program wrote on stderr (its statistics line and notes).
    var diagnostics: String { lock.withLock { String(stderrText.suffix(1500)) } }

    /// Waits (bounded) for the program to exit and returns its status.
    func waitForExit(within limit: Duration) async throws -> Int32 {
        try await poll(every: .milliseconds(100), for: limit, "\(process.executableURL?.lastPathComponent ?? "program") to exit") { [process] in
            process.isRunning ? nil : process.terminationStatus
        }
    }

    /// Stops the program if it still runs.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        _ = try? await waitForExit(within: .seconds(5))
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
