import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import HummingbirdWebSocket
public import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
public import SignalingCore
import UnixSignals

/// The signalling server: the seed's WebSocket relay plus the static sender
/// and receiver pages, on one port.
///
/// The WebSocket is at `/` (so the seed's `ws://host:port` works) and also at
/// `/ws`; `?room=NAME` picks the room. Plain requests get the pages of
/// `configuration.webRoot` and `GET /healthz`.
public struct SignalingServer: Sendable {
    /// The configuration the server runs with.
    public let configuration: SignalingServerConfiguration
    /// The relay state shared by every connection.
    public let hub: SignalingHub
    private let logger: Logger

    /// Creates a server; nothing is bound until `run(onListening:)`.
    public init(configuration: SignalingServerConfiguration, logger: Logger = Logger(label: "signal-server")) {
        self.configuration = configuration
        let iceServers = configuration.iceServers
        var provider: (@Sendable () -> [SignalingICEServer])?
        if !iceServers.isEmpty {
            provider = { iceServers.entries(now: Date()) }
        }
        self.hub = SignalingHub(configuration: configuration.relay, iceServers: provider, logger: logger)
        self.logger = logger
    }

    /// The URL scheme pages are served with: `https` with TLS, else `http`.
    public var scheme: String { configuration.tls == nil ? "http" : "https" }

    /// Binds, calls `onListening` with the bound port, and serves until the
    /// task is cancelled or, when `stopsOnSignals` is set, until SIGINT or
    /// SIGTERM arrives. Either way the shutdown is graceful: open WebSockets
    /// get a close frame (1001, going away) before the server returns.
    ///
    /// - Throws: `SignalingServerError` when the TLS files cannot be loaded,
    ///   or the error of binding the port.
    public func run(
        stopsOnSignals: Bool = false,
        onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) async throws {
        let app = Application(
            router: makeHTTPRouter(),
            server: try makeServerBuilder(),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "swift-webrtc signal-server"
            ),
            onServerRunning: { channel in
                await onListening(channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [app],
                gracefulShutdownSignals: stopsOnSignals ? [.sigterm, .sigint] : [],
                logger: logger
            )
        )
        try await withTaskCancellationHandler {
            try await group.run()
        } onCancel: {
            Task { await group.triggerGracefulShutdown() }
        }
    }

    private func makeHTTPRouter() -> Router<BasicRequestContext> {
        let router = Router()
        if let webRoot = configuration.webRoot {
            router.middlewares.add(FileMiddleware(webRoot, searchForIndexHtml: true, logger: logger))
        }
        router.get("/healthz") { _, _ in "ok\n" }
        return router
    }

    private func makeServerBuilder() throws -> HTTPServerBuilder {
        let hub = self.hub
        let maxFrameBytes = configuration.maxFrameBytes
        let webSocketRouter = Router(context: BasicWebSocketRequestContext.self)
        for path in ["/", "/ws"] {
            webSocketRouter.ws(RouterPath(path)) { inbound, outbound, context in
                let room = context.request.uri.queryParameters.get("room")
                try await WebSocketRelayConnection.run(
                    hub: hub, room: room, inbound: inbound, outbound: outbound, maxFrameBytes: maxFrameBytes)
            }
        }
        let webSocket = HTTPServerBuilder.http1WebSocketUpgrade(
            webSocketRouter: webSocketRouter,
            configuration: HTTP1WebSocketUpgradeChannel.Configuration(
                ws: WebSocketServerConfiguration(
                    maxFrameSize: maxFrameBytes,
                    autoPing: .enabled(timePeriod: configuration.pingInterval)
                )
            )
        )
        guard let tls = configuration.tls else { return webSocket }
        return try .tls(webSocket, tlsConfiguration: try Self.loadTLS(tls))
    }

    private static func loadTLS(_ files: SignalingServerConfiguration.TLSFiles) throws -> TLSConfiguration {
        let certificates: [NIOSSLCertificate]
        do {
            certificates = try NIOSSLCertificate.fromPEMFile(files.certificatePath)
        } catch {
            throw SignalingServerError("cannot read the TLS certificate \(files.certificatePath): \(error)")
        }
        guard !certificates.isEmpty else {
            throw SignalingServerError("the TLS certificate file \(files.certificatePath) holds no certificate")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: files.privateKeyPath, format: .pem)
        } catch {
            throw SignalingServerError("cannot read the TLS private key \(files.privateKeyPath): \(error)")
        }
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: certificates.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
