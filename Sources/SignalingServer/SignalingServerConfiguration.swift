public import SignalingCore

/// Everything a `SignalingServer` needs to start.
public struct SignalingServerConfiguration: Sendable {
    /// PEM files for serving `https://` and `wss://`.
    public struct TLSFiles: Sendable, Hashable {
        /// The certificate chain, PEM.
        public var certificatePath: String
        /// The private key, PEM.
        public var privateKeyPath: String

        /// Creates the pair.
        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }

    /// The address to bind, such as `127.0.0.1` or `0.0.0.0`.
    public var host: String
    /// The port to bind; `0` picks a free one (see `SignalingServer.run(onListening:)`).
    public var port: Int
    /// The folder of static pages served over HTTP (`index.html`,
    /// `sender.html`, `receiver.html`); nothing is served when `nil`.
    public var webRoot: String?
    /// Certificate and key for TLS; plain HTTP and WebSocket when `nil`.
    public var tls: TLSFiles?
    /// The relay's limits (message size, rate, held messages).
    public var relay: RelayConfiguration
    /// How often idle connections are pinged; a connection that does not
    /// answer a ping before the next one is closed.
    public var pingInterval: Duration
    /// The largest WebSocket frame read. Frames above `relay.maxMessageBytes`
    /// but below this get a `message-too-large` reply; larger ones close the
    /// connection (WebSocket code 1009).
    public var maxFrameBytes: Int

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        webRoot: String? = nil,
        tls: TLSFiles? = nil,
        relay: RelayConfiguration = RelayConfiguration(),
        pingInterval: Duration = .seconds(30),
        maxFrameBytes: Int = 1 << 20
    ) {
        self.host = host
        self.port = port
        self.webRoot = webRoot
        self.tls = tls
        self.relay = relay
        self.pingInterval = pingInterval
        self.maxFrameBytes = maxFrameBytes
    }
}
