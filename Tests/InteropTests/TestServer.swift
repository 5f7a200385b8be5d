import Foundation
import Logging
import SignalingServer

/// A `SignalingServer` on 127.0.0.1 with a free port, serving Examples/web.
struct RunningSignalingServer: Sendable {
    let port: Int
    let task: Task<Void, any Error>

    var httpBase: String { "http://127.0.0.1:\(port)" }

    /// The repository's Examples/web folder.
    static let webRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/web").path

    static func start() async throws -> RunningSignalingServer {
        let server = SignalingServer(
            configuration: SignalingServerConfiguration(host: "127.0.0.1", port: 0, webRoot: webRoot),
            logger: Logger(label: "interop.signal-server")
        )
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            defer { portContinuation.finish() }
            try await server.run { port in portContinuation.yield(port) }
        }
        let port = try await withDeadline(.seconds(30), "the signalling server to listen") {
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw DeadlineExceeded(what: "the server stopped before listening") }
            return port
        }
        return RunningSignalingServer(port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }
}
