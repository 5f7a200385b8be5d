import Foundation
import SignalingCore
import Testing
import TestSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The `signal-server` executable as a user runs it.
@Suite("signal-server executable")
struct SignalServerExecutableTests {
    /// `signal-server` sits beside the test binary once `swift build --build-tests` ran.
    static func executable() throws -> URL {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        let candidate = testBinary.deletingLastPathComponent().appendingPathComponent("signal-server")
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else {
            throw SignalingError(.connectionClosed, "\(candidate.path) is missing: build with `swift build --build-tests` first")
        }
        return candidate
    }

    /// Collects a process's stdout lines as they come.
    final class LineReader: @unchecked Sendable {
        private let lock = NSLock()
        private var buffer = ""
        init(_ pipe: Pipe) {
            pipe.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.buffer += String(decoding: data, as: UTF8.self) }
            }
        }
        var text: String { lock.withLock { buffer } }
    }

    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("--port 0 prints the listening line, serves the pages and the WebSocket, and SIGTERM stops it cleanly")
    func runAndStop() async throws {
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = ["--host", "127.0.0.1", "--port", "0", "--log-level", "warning"]
        let stdout = Pipe()
        process.standardOutput = stdout
        let reader = LineReader(stdout)
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        let port = try await poll(for: .seconds(30), "the listening line") { () -> Int? in
            guard let line = reader.text.split(separator: "\n").first(where: { $0.hasPrefix("listening on http://127.0.0.1:") }) else {
                return nil
            }
            return Int(line.split(separator: ":").last!)
        }
        #expect(reader.text.contains("sender page:   http://127.0.0.1:\(port)/sender.html"))
        #expect(reader.text.contains("receiver page: http://127.0.0.1:\(port)/receiver.html"))

        let index = try await Self.get("http://127.0.0.1:\(port)/")
        #expect(index.status == 200 && index.body.contains("sender.html") && index.body.contains("receiver.html"))
        let sender = try await Self.get("http://127.0.0.1:\(port)/sender.html")
        #expect(sender.status == 200 && sender.body.contains("RTCPeerConnection"))
        let receiver = try await Self.get("http://127.0.0.1:\(port)/receiver.html")
        #expect(receiver.status == 200 && receiver.body.contains("getStats"))
        #expect(try await Self.get("http://127.0.0.1:\(port)/missing.html").status == 404)
        #expect(try await Self.get("http://127.0.0.1:\(port)/healthz").body == "ok\n")

        // A connected client does not keep the server from stopping.
        let client = try await SignalingClient.connect(to: "ws://127.0.0.1:\(port)")
        try await client.register(as: .receiver)
        process.terminate()  // SIGTERM
        try await poll(every: .milliseconds(100), for: .seconds(10), "signal-server to exit after SIGTERM") {
            process.isRunning ? nil : true
        }
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
        // The client saw the connection end.
        await #expect(throws: (any Error).self) {
            try await client.nextMessage(within: .seconds(5))
        }
    }

    @Test("bad arguments are refused with a message")
    func badArguments() throws {
        let process = Process()
        process.executableURL = try Self.executable()
        process.arguments = ["--tls-cert", "/tmp/only-a-cert.pem"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus != 0)
        #expect(message.contains("--tls-cert and --tls-key go together"))
    }
}
