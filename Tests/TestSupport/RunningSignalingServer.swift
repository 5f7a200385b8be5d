import Foundation
import Logging
public import SignalingServer

/// A `SignalingServer` on 127.0.0.1 with a free port, serving Examples/web,
/// for tests. Stop it with `stop()`.
public struct RunningSignalingServer: Sendable {
    /// The bound port.
    public let port: Int
    /// The server itself (its hub shows the relay's state).
    public let server: SignalingServer
    private let task: Task<Void, any Error>

    /// The host in URLs: TLS needs a name (SNI), so `localhost` there.
    private var host: String { server.scheme == "https" ? "localhost" : "127.0.0.1" }
    /// `http://127.0.0.1:PORT` (or `https://localhost:PORT` with TLS).
    public var httpBase: String { "\(server.scheme)://\(host):\(port)" }
    /// `ws://127.0.0.1:PORT/` (or `wss://localhost:PORT/` with TLS).
    public var webSocketURL: String { "\(server.scheme == "https" ? "wss" : "ws")://\(host):\(port)/" }

    /// The repository's Examples/web folder.
    public static let webRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/web").path

    /// Starts a server with `configuration` (host and port are replaced by
    /// 127.0.0.1 and a free port; the web root defaults to Examples/web).
    public static func start(_ configuration: SignalingServerConfiguration = SignalingServerConfiguration()) async throws -> RunningSignalingServer {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.webRoot = configuration.webRoot ?? webRoot
        var logger = Logger(label: "test.signal-server")
        logger.logLevel = .warning
        let server = SignalingServer(configuration: configuration, logger: logger)
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
        return RunningSignalingServer(port: port, server: server, task: task)
    }

    /// Shuts the server down gracefully and waits for it.
    public func stop() async {
        task.cancel()
        _ = await task.result
    }
}
