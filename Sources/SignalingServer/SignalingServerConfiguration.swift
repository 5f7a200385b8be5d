public import Foundation
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

    /// The STUN and TURN servers handed to every client that takes a role.
    public struct ICEServers: Sendable, Hashable {
        /// `stun:` URLs, handed out as they are.
        public var stun: [String]
        /// `turn:` and `turns:` URLs, handed out with short-lived credentials.
        public var turn: [String]
        /// The secret shared with the TURN server (coturn's `static-auth-secret`).
        public var turnSecret: String?
        /// How long a handed-out TURN credential lasts. A call's allocation
        /// cannot be refreshed after it, so keep it longer than a call.
        public var credentialLifetime: Duration

        /// Creates the list.
        public init(stun: [String] = [], turn: [String] = [], turnSecret: String? = nil, credentialLifetime: Duration = .seconds(86_400)) {
            self.stun = stun
            self.turn = turn
            self.turnSecret = turnSecret
            self.credentialLifetime = credentialLifetime
        }

        /// Whether there is anything to hand out.
        public var isEmpty: Bool { stun.isEmpty && (turn.isEmpty || turnSecret == nil) }

        /// The entries for one client, with TURN credentials valid from `now`.
        public func entries(now: Date) -> [SignalingICEServer] {
            var entries: [SignalingICEServer] = []
            if !stun.isEmpty { entries.append(SignalingICEServer(urls: stun)) }
            if !turn.isEmpty, let turnSecret {
                let credentials = TURNRESTCredentials(
                    secret: turnSecret, expiry: now.addingTimeInterval(TimeInterval(credentialLifetime.components.seconds)))
                entries.append(SignalingICEServer(urls: turn, username: credentials.username, credential: credentials.credential))
            }
            return entries
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
    /// The ICE servers handed to clients; none by default.
    public var iceServers: ICEServers

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        webRoot: String? = nil,
        tls: TLSFiles? = nil,
        relay: RelayConfiguration = RelayConfiguration(),
        pingInterval: Duration = .seconds(30),
        maxFrameBytes: Int = 1 << 20,
        iceServers: ICEServers = ICEServers()
    ) {
        self.host = host
        self.port = port
        self.webRoot = webRoot
        self.tls = tls
        self.relay = relay
        self.pingInterval = pingInterval
        self.maxFrameBytes = maxFrameBytes
        self.iceServers = iceServers
    }
}
