public import ArgumentParser
import Foundation
public import NIOSSL
public import SignalingCore
public import WebRTC

/// The ICE and signalling options `webrtc-send` and `webrtc-recv` share:
/// STUN and TURN servers, relay-only calls, and trust for a `wss://`
/// signalling server with a self-signed certificate.
public struct ICEOptions: ParsableArguments, Sendable {
    @Option(name: .customLong("ice-server"), help: "A STUN or TURN server URL: stun:HOST[:PORT], turn:HOST[:PORT][?transport=tcp] or turns:HOST[:PORT] (repeatable).")
    public var iceServers: [String] = []

    @Option(name: .customLong("ice-username"), help: "The username for the --ice-server TURN servers.")
    public var iceUsername: String?

    @Option(name: .customLong("ice-credential"), help: "The credential (password) for the --ice-server TURN servers.")
    public var iceCredential: String?

    @Option(help: "A STUN server, stun:HOST[:PORT] (repeatable; the same as --ice-server).")
    public var stun: [String] = []

    @Flag(name: .customLong("relay-only"), help: "Use TURN relays only (iceTransportPolicy relay): no local address reaches the peer.")
    public var relayOnly = false

    @Option(name: .customLong("ca-cert"), help: "A PEM certificate to trust for a wss:// signalling server and turns: TURN servers (such as their self-signed certificate).")
    public var caCertificate: String?

    public init() {}

    public func validate() throws {
        for url in stun where !url.lowercased().hasPrefix("stun:") {
            throw ValidationError("--stun takes stun: URLs; use --ice-server for \(url)")
        }
        for url in iceServers + stun {
            do {
                let parsed = try ICEServerURL(parsing: url)
                if parsed.isTURN, iceUsername == nil || iceCredential == nil {
                    throw ValidationError("the TURN server \(url) needs --ice-username and --ice-credential")
                }
            } catch let error as PeerConnectionError {
                throw ValidationError("--ice-server: \(error.message)")
            }
        }
        if let caCertificate, !FileManager.default.isReadableFile(atPath: caCertificate) {
            throw ValidationError("--ca-cert \(caCertificate) cannot be read")
        }
    }

    /// The TLS settings for the signalling connection and `turns:` servers:
    /// the system's trust roots, plus the --ca-cert certificate when given.
    /// For a server named by IP address (`wss://192.0.2.7:8443/`), which TLS
    /// cannot check by name, the --ca-cert certificate is pinned: it is the
    /// only one trusted.
    public func tlsConfiguration(forIPAddress: Bool = false) throws -> TLSConfiguration? {
        guard let caCertificate else { return nil }
        var configuration = TLSConfiguration.makeClientConfiguration()
        let certificates = try NIOSSLCertificate.fromPEMFile(caCertificate)
        if forIPAddress {
            configuration.trustRoots = .certificates(certificates)
            configuration.certificateVerification = .noHostnameVerification
        } else {
            configuration.additionalTrustRoots = [.certificates(certificates)]
        }
        return configuration
    }

    /// The ICE servers from the command line, then those the signalling
    /// server handed out, and the transport policy.
    ///
    /// - Throws: `ValidationError` for --relay-only without any TURN server.
    public func servers(handedOut: [SignalingICEServer]) throws -> (servers: [ICEServer], policy: ICETransportPolicy) {
        var servers: [ICEServer] = []
        if !stun.isEmpty { servers.append(ICEServer(urls: stun)) }
        if !iceServers.isEmpty { servers.append(ICEServer(urls: iceServers, username: iceUsername, credential: iceCredential)) }
        servers += handedOut.map { ICEServer(urls: $0.urls, username: $0.username, credential: $0.credential) }
        if relayOnly {
            let hasTURN = servers.contains { server in
                server.urls.contains { $0.lowercased().hasPrefix("turn") } && server.username != nil && server.credential != nil
            }
            guard hasTURN else {
                throw ValidationError("--relay-only needs a TURN server (--ice-server turn:..., or one the signalling server hands out)")
            }
        }
        return (servers, relayOnly ? .relay : .all)
    }

    /// The selected pair for the summary: candidate types, protocols and addresses.
    public static func fields(of pair: SelectedCandidatePair?) -> [String: any Sendable] {
        guard let pair else { return ["selectedPair": "none"] }
        return [
            "localCandidateType": pair.local.type.rawValue, "localProtocol": pair.local.transport.rawValue,
            "localAddress": pair.local.address.description,
            "remoteCandidateType": pair.remote.type.rawValue, "remoteProtocol": pair.remote.transport.rawValue,
            "remoteAddress": pair.remote.address.description,
            "relayProtocol": pair.relayProtocol?.rawValue ?? "",
        ]
    }
}
