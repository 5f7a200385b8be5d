public import ICEKit
public import Logging
public import NIOSSL
public import SecureTransport

/// Settings of a `PeerConnection`.
public struct PeerConnectionConfiguration: Sendable {
    /// The address the connection's UDP socket binds: a specific one such as
    /// `127.0.0.1`, or `0.0.0.0` for every interface (then, unless
    /// `candidateAddresses` is set, one socket per interface address, IPv4
    /// and IPv6).
    public var bindHost: String
    /// The UDP port; 0 picks a free one.
    public var port: Int
    /// The addresses offered as host candidates of one socket bound to
    /// `bindHost` (on `0.0.0.0`, the destination address of each datagram
    /// comes from the packet info). `nil` means the bind address when it is a
    /// specific one, else one socket per interface address that passes
    /// `includeInterfaceAddress`.
    public var candidateAddresses: [String]?
    /// Picks interface addresses for `candidateAddresses == nil`; by default
    /// everything but loopback (as browsers do).
    public var includeInterfaceAddress: @Sendable (ICETransportAddress) -> Bool
    /// The codecs to send and receive, in preference order (Opus and VP8 by default).
    public var codecs: [MediaCodec]
    /// ICE timing and limits.
    public var ice: ICEConfiguration
    /// STUN servers (`stun:` URLs) for server-reflexive candidates and TURN
    /// servers (`turn:`, `turns:` URLs with a username and credential) for
    /// relayed ones. Host names are resolved when the connection is made.
    public var iceServers: [ICEServer]
    /// Which candidates ICE may use: `.relay` gathers and checks only
    /// relayed candidates (host addresses stay private).
    public var iceTransportPolicy: ICETransportPolicy
    /// Timers and limits of the TURN clients.
    public var turn: TURNClientConfiguration
    /// TLS settings for `turns:` servers; nil means the system's trust roots
    /// (add `additionalTrustRoots` for a server with a private certificate).
    public var turnTLS: TLSConfiguration?
    /// The library that protects and unprotects media: libsrtp2 by default, or
    /// this package's OpenSSL transform (`SRTPBackend.default` says why).
    /// Both put the same bytes on the wire.
    public var srtpBackend: SRTPBackend
    /// Where the connection logs.
    public var logger: Logger

    /// Creates a configuration.
    public init(
        bindHost: String = "0.0.0.0", port: Int = 0, candidateAddresses: [String]? = nil,
        includeInterfaceAddress: @escaping @Sendable (ICETransportAddress) -> Bool = { !$0.ip.isLoopback },
        codecs: [MediaCodec] = [.opus, .vp8], ice: ICEConfiguration = ICEConfiguration(), iceServers: [ICEServer] = [],
        iceTransportPolicy: ICETransportPolicy = .all, turn: TURNClientConfiguration = TURNClientConfiguration(),
        srtpBackend: SRTPBackend = .default,
        logger: Logger = Logger(label: "webrtc.peer-connection")
    ) {
        self.bindHost = bindHost
        self.port = port
        self.candidateAddresses = candidateAddresses
        self.includeInterfaceAddress = includeInterfaceAddress
        self.codecs = codecs
        self.ice = ice
        self.iceServers = iceServers
        self.iceTransportPolicy = iceTransportPolicy
        self.turn = turn
        self.turnTLS = nil
        self.srtpBackend = srtpBackend
        self.logger = logger
    }
}
