import Foundation
import ICEKit
import SignalingCore
import SignalingServer
import Testing
import TestSupport

/// `signal-server --stun/--turn/--turn-secret`: every client is handed the
/// ICE servers, TURN ones with short-lived credentials a real coturn accepts.
@Suite("ICE servers handed out by the signalling server")
struct ICEServersHandoutTests {
    @Test("TURN REST credentials are EXPIRY:NAME and base64(HMAC-SHA1(secret, username))")
    func restCredentials() {
        let credentials = TURNRESTCredentials(secret: "north-wind", expiry: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(credentials.username == "1700000000:swift-webrtc")
        // python3: base64.b64encode(hmac.new(b"north-wind", b"1700000000:swift-webrtc", hashlib.sha1).digest())
        #expect(credentials.credential == "+mdXikT5I2aRdeSpAMrnWD2//TQ=")
    }

    @Test("each registering client gets the STUN URL and TURN credentials valid for the configured lifetime, which coturn with use-auth-secret accepts; the secret is in no message")
    func handedOutCredentialsWork() async throws {
        let secret = "shared-\(UUID().uuidString)"
        let coturn = try Coturn(authSecret: secret)
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        let server = try await RunningSignalingServer.start(SignalingServerConfiguration(
            iceServers: .init(stun: ["stun:127.0.0.1:\(coturn.port)"], turn: ["turn:127.0.0.1:\(coturn.port)"], turnSecret: secret,
                              credentialLifetime: .seconds(3600))))
        let client = try await SignalingClient.connect(to: server.webSocketURL)
        defer { Task { await client.close(); await server.stop() } }
        try await client.register(as: .sender)
        let servers = await client.iceServers
        #expect(servers.count == 2)
        #expect(servers.first == SignalingICEServer(urls: ["stun:127.0.0.1:\(coturn.port)"]))
        let turn = try #require(servers.last)
        #expect(turn.urls == ["turn:127.0.0.1:\(coturn.port)"])
        let username = try #require(turn.username)
        let expiry = try #require(Int(username.split(separator: ":").first ?? ""))
        #expect(abs(Double(expiry) - Date().timeIntervalSince1970 - 3600) < 60, "expires in an hour: \(username)")
        #expect(!SignalingMessage.iceServers(servers).jsonText().contains(secret))

        // The credentials allocate on coturn.
        let socket = try UDPTestSocket()
        var turnClient = TURNClient(
            server: ICETransportAddress(ip: ICEIPAddress(ipv4: 0x7F00_0001), port: coturn.port),
            username: username, password: try #require(turn.credential))
        turnClient.allocate(at: .now)
        let deadline = ContinuousClock.now + .seconds(5)
        var allocated = false
        while !allocated, turnClient.state != .failed, ContinuousClock.now < deadline {
            while let bytes = turnClient.pollTransmit() { socket.send(bytes, to: coturn.port) }
            if let datagram = await socket.receive(timeout: .milliseconds(20)) { _ = turnClient.handle(datagram: datagram.bytes, at: .now) }
            if let due = turnClient.nextTimeout(), due <= .now { turnClient.handleTimeout(at: .now) }
            while let event = turnClient.pollEvent() { if case .allocated = event { allocated = true } }
        }
        #expect(allocated, "state \(turnClient.state)")
    }

    @Test("a server without ICE servers sends no ice-servers message")
    func noneByDefault() async throws {
        let server = try await RunningSignalingServer.start()
        let client = try await SignalingClient.connect(to: server.webSocketURL)
        defer { Task { await client.close(); await server.stop() } }
        try await client.register(as: .receiver)
        #expect(await client.iceServers.isEmpty)
    }
}
