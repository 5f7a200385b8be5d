import ArgumentParser
import Foundation
import Logging
import SignalingServer

/// `signal-server`: the seed's signalling server with the sender and receiver pages.
@main
struct SignalServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signal-server",
        abstract: "Relays WebRTC offers, answers and ICE candidates between a sender and a receiver, and serves their pages."
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 8080

    @Option(help: "The folder of the sender and receiver pages (default: Examples/web of this source tree).")
    var webRoot: String?

    @Option(help: "A PEM certificate: serve https and wss (needed for cameras on other machines).")
    var tlsCert: String?

    @Option(help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(help: "Seconds between WebSocket pings; a connection that misses one is closed.")
    var pingInterval = 30

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    @Option(help: "A STUN server URL handed to every client, such as stun:stun.example.org:3478 (repeatable).")
    var stun: [String] = []

    @Option(help: "A TURN server URL handed to every client with short-lived credentials, such as turn:turn.example.org:3478?transport=udp or turns:turn.example.org:5349 (repeatable; needs --turn-secret).")
    var turn: [String] = []

    @Option(help: "The secret shared with the TURN server (coturn: use-auth-secret, static-auth-secret). It never reaches a client.")
    var turnSecret: String?

    @Option(help: "Seconds a handed-out TURN credential stays valid (longer than a call).")
    var turnCredentialLifetime = 86_400

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0...65535") }
        guard pingInterval > 0 else { throw ValidationError("--ping-interval must be positive") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
        for url in stun where !url.lowercased().hasPrefix("stun:") && !url.lowercased().hasPrefix("stuns:") {
            throw ValidationError("--stun takes stun: URLs, not \(url)")
        }
        for url in turn where !url.lowercased().hasPrefix("turn:") && !url.lowercased().hasPrefix("turns:") {
            throw ValidationError("--turn takes turn: or turns: URLs, not \(url)")
        }
        guard turn.isEmpty == (turnSecret == nil) else {
            throw ValidationError("--turn and --turn-secret go together")
        }
        guard turnSecret.map({ !$0.isEmpty }) ?? true else { throw ValidationError("--turn-secret must not be empty") }
        guard turnCredentialLifetime > 0 else { throw ValidationError("--turn-credential-lifetime must be positive") }
    }

    func run() async throws {
        var logger = Logger(label: "signal-server")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let webRoot = self.webRoot ?? Self.bundledWebRoot()
        let tls = tlsCert.map { SignalingServerConfiguration.TLSFiles(certificatePath: $0, privateKeyPath: tlsKey ?? "") }
        let server = SignalingServer(
            configuration: SignalingServerConfiguration(
                host: host, port: port, webRoot: webRoot, tls: tls, pingInterval: .seconds(pingInterval),
                iceServers: .init(
                    stun: stun, turn: turn, turnSecret: turnSecret, credentialLifetime: .seconds(turnCredentialLifetime))),
            logger: logger
        )
        let scheme = server.scheme
        let host = self.host
        let hasPages = FileManager.default.fileExists(atPath: webRoot + "/index.html")
        if !hasPages {
            logger.warning("no pages found; pass --web-root", metadata: ["web-root": "\(webRoot)"])
        }
        try await server.run(stopsOnSignals: true) { port in
            let base = "\(scheme)://\(host == "0.0.0.0" ? "localhost" : host):\(port)"
            var lines = ["listening on \(scheme)://\(host):\(port)"]
            if hasPages {
                lines.append("sender page:   \(base)/sender.html")
                lines.append("receiver page: \(base)/receiver.html")
            }
            Self.writeLines(lines)
        }
    }

    /// The pages beside this source file: `Examples/web`.
    static func bundledWebRoot() -> String {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("web").path
    }

    /// Writes to stdout unbuffered, so a script reading the pipe sees it at once.
    static func writeLines(_ lines: [String]) {
        FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
    }
}
