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
    static func get(_ url: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    @Test("--port 0 prints the listening line, serves the pages and the WebSocket, and SIGTERM stops it cleanly")
    func runAndStop() async throws {
        let server = try PackageProgram("signal-server", arguments: ["--host", "127.0.0.1", "--port", "0", "--log-level", "warning"])
        defer { Task { await server.stop() } }

        let port = try await poll(for: .seconds(30), "the listening line") { () -> Int? in
            guard let line = server.output.split(separator: "\n").first(where: { $0.hasPrefix("listening on http://127.0.0.1:") }) else {
                return nil
            }
            return Int(line.split(separator: ":").last!)
        }
        #expect(server.output.contains("sender page:   http://127.0.0.1:\(port)/sender.html"))
        #expect(server.output.contains("receiver page: http://127.0.0.1:\(port)/receiver.html"))

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
        server.process.terminate()  // SIGTERM
        #expect(try await server.waitForExit(within: .seconds(10)) == 0)
        #expect(server.wasKilledBySignal == false)
        // The client saw the connection end.
        await #expect(throws: (any Error).self) {
            try await client.nextMessage(within: .seconds(5))
        }
    }

    @Test("bad arguments are refused with a message")
    func badArguments() async throws {
        let server = try PackageProgram("signal-server", arguments: ["--tls-cert", "/tmp/only-a-cert.pem"])
        // Generous: the whole suite (browsers, encoders) shares two cores with it.
        #expect(try await server.waitForExit(within: .seconds(30)) != 0)
        #expect(server.diagnostics.contains("--tls-cert and --tls-key go together"))
    }

    @Test("--turn without --turn-secret, and a --stun that is not a stun: URL, are refused with a message")
    func badICEServerArguments() async throws {
        let turn = try PackageProgram("signal-server", arguments: ["--turn", "turn:127.0.0.1:3478"])
        let stun = try PackageProgram("signal-server", arguments: ["--stun", "turn:127.0.0.1:3478"])
        #expect(try await turn.waitForExit(within: .seconds(30)) != 0)
        #expect(turn.diagnostics.contains("--turn and --turn-secret go together"))
        #expect(try await stun.waitForExit(within: .seconds(30)) != 0)
        #expect(stun.diagnostics.contains("--stun takes stun: URLs"))
    }
}
