import Foundation
import ICEKit
import Testing
import TestSupport

/// The sans-IO TURN client against a real coturn on 127.0.0.1, driven over
/// a real UDP socket, with a second socket playing the peer.
@Suite("TURN client against coturn over UDP")
struct TURNClientCoturnTests {
    static let loopback = ICEIPAddress(ipv4: 0x7F00_0001)

    /// Drives a client over a UDP socket: sends what it queues, feeds what
    /// arrives, runs its timers. Peer data it relays is collected.
    final class Driver {
        var client: TURNClient
        let socket: UDPTestSocket
        var events: [TURNClientEvent] = []
        var relayed: [TURNPeerData] = []
        /// The first byte of every message sent to the server.
        var sentFirstBytes: [UInt8] = []

        init(client: TURNClient, socket: UDPTestSocket) {
            self.client = client
            self.socket = socket
        }

        /// One round: flush, receive for up to `wait` (sleeping, not
        /// blocking a thread), run due timers.
        func step(wait: Duration = .milliseconds(10)) async {
            let now = ContinuousClock.now
            if let due = client.nextTimeout(), due <= now { client.handleTimeout(at: now) }
            while let bytes = client.pollTransmit() {
                sentFirstBytes.append(bytes[0])
                socket.send(bytes, to: client.server.port)
            }
            if let datagram = await socket.receive(timeout: wait), datagram.fromPort == client.server.port {
                switch client.handle(datagram: datagram.bytes, at: .now) {
                case .none, .unrelated: break
                case .channelData(let peer, let payload): relayed.append(TURNPeerData(peer: peer, bytes: Array(datagram.bytes[payload])))
                case .data(let peer, let bytes): relayed.append(TURNPeerData(peer: peer, bytes: bytes))
                }
            }
            while let event = client.pollEvent() { events.append(event) }
            while let bytes = client.pollTransmit() {
                sentFirstBytes.append(bytes[0])
                socket.send(bytes, to: client.server.port)
            }
        }

        /// Steps until `done` holds, at most `limit`.
        func run(for limit: Duration, _ what: String, until done: (Driver) -> Bool) async throws {
            let deadline = ContinuousClock.now + limit
            while !done(self) {
                guard ContinuousClock.now < deadline else { throw DeadlineExceeded(what: what) }
                await step()
            }
        }

        var allocation: (relayed: ICETransportAddress, mapped: ICETransportAddress?)? {
            for case .allocated(let relayed, let mapped, _) in events { return (relayed, mapped) }
            return nil
        }
    }

    static func driver(_ coturn: Coturn, password: String = "wonderland", configuration: TURNClientConfiguration = TURNClientConfiguration()) throws -> Driver {
        let socket = try UDPTestSocket()
        let client = TURNClient(
            server: ICETransportAddress(ip: loopback, port: coturn.port), username: "alice", password: password,
            configuration: configuration)
        return Driver(client: client, socket: socket)
    }

    @Test("an allocation relays data both ways: first in Send and Data indications, then as ChannelData once the channel is bound")
    func relaysBothWays() async throws {
        let coturn = try Coturn(users: ["alice": "wonderland"])
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        let driver = try Self.driver(coturn)
        driver.client.allocate(at: .now)
        try await driver.run(for: .seconds(5), "the allocation") { $0.allocation != nil || $0.client.state == .failed }
        let allocation = try #require(driver.allocation, "events: \(driver.events)")
        #expect(allocation.relayed.ip == Self.loopback && allocation.relayed.port != coturn.port)
        #expect(allocation.mapped == ICETransportAddress(ip: Self.loopback, port: driver.socket.port))

        let peer = try UDPTestSocket()
        let peerAddress = ICETransportAddress(ip: Self.loopback, port: peer.port)
        driver.client.send([1, 2, 3], to: peerAddress, at: .now)
        var atPeer: (bytes: [UInt8], fromPort: UInt16)?
        try await driver.run(for: .seconds(5), "the first payload at the peer") { _ in
            atPeer = atPeer ?? peer.receiveNow()
            return atPeer != nil
        }
        #expect(atPeer?.bytes == [1, 2, 3])
        #expect(atPeer?.fromPort == allocation.relayed.port, "the peer sees the relayed address")

        peer.send([4, 5, 6], to: allocation.relayed.port)
        try await driver.run(for: .seconds(5), "the peer's payload at the client") { !$0.relayed.isEmpty }
        #expect(driver.relayed.first == TURNPeerData(peer: peerAddress, bytes: [4, 5, 6]))

        // The channel is bound by now (the first send started it): data goes as ChannelData.
        await driver.pump(for: .seconds(1))
        driver.sentFirstBytes.removeAll()
        driver.client.send([7, 8, 9, 10, 11], to: peerAddress, at: .now)
        await driver.step()
        #expect(driver.sentFirstBytes.first.map { $0 & 0xF0 == 0x40 } == true, "sent: \(driver.sentFirstBytes)")
        #expect(await peer.receive(timeout: .seconds(2))?.bytes == [7, 8, 9, 10, 11])
        peer.send([12], to: allocation.relayed.port)
        try await driver.run(for: .seconds(5), "the peer's second payload") { $0.relayed.count == 2 }
        #expect(driver.relayed.last == TURNPeerData(peer: peerAddress, bytes: [12]))
        #expect(driver.client.statistics.droppedInput == 0)
    }

    @Test("a wrong password fails the allocation with the server's 401")
    func wrongPassword() async throws {
        let coturn = try Coturn(users: ["alice": "wonderland"])
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        let driver = try Self.driver(coturn, password: "looking-glass")
        driver.client.allocate(at: .now)
        try await driver.run(for: .seconds(5), "the allocation to fail") { $0.client.state == .failed }
        guard case .failed(let error)? = driver.events.last else {
            Issue.record("expected a failure event, got \(driver.events)")
            return
        }
        #expect(error.errorCode?.code == 401)
    }

    @Test("with every lifetime cut to seconds, 36 s through coturn lose no packet: the allocation, permission and channel are renewed and a stale nonce is answered")
    func renewsEverything() async throws {
        // coturn's lifetimes, shortened; the client is told the same.
        let coturn = try Coturn(users: ["alice": "wonderland"], options: [
            "max-allocate-lifetime=12", "permission-lifetime=10", "channel-lifetime=16", "stale-nonce=9",
        ])
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        var configuration = TURNClientConfiguration()
        configuration.permissionLifetime = .seconds(10)
        configuration.channelBindingLifetime = .seconds(16)
        let driver = try Self.driver(coturn, configuration: configuration)
        driver.client.allocate(at: .now)
        try await driver.run(for: .seconds(5), "the allocation") { $0.allocation != nil || $0.client.state == .failed }
        let relayed = try #require(driver.allocation?.relayed)

        let peer = try UDPTestSocket()
        let peerAddress = ICETransportAddress(ip: Self.loopback, port: peer.port)
        let start = ContinuousClock.now
        var sent = 0
        var receivedAtPeer = 0
        var nextSend = start
        while ContinuousClock.now - start < .seconds(36) {
            if ContinuousClock.now >= nextSend, driver.client.state == .allocated {
                driver.client.send([UInt8(sent & 0xFF)], to: peerAddress, at: .now)
                // The peer answers on its own, as soon as the permission lets it through.
                if sent > 10 { peer.send([UInt8(sent & 0xFF)], to: relayed.port) }
                sent += 1
                nextSend = nextSend + .milliseconds(200)
            }
            await driver.step(wait: .milliseconds(5))
            while peer.receiveNow() != nil { receivedAtPeer += 1 }
        }
        await driver.step(wait: .milliseconds(200))
        while await peer.receive(timeout: .milliseconds(50)) != nil { receivedAtPeer += 1 }

        #expect(driver.client.state == .allocated, "events: \(driver.events)")
        #expect(receivedAtPeer == sent, "the peer got \(receivedAtPeer) of \(sent)")
        #expect(driver.relayed.count == sent - 11, "the client got \(driver.relayed.count) of \(sent - 11)")
        let statistics = driver.client.statistics
        #expect(statistics.allocationRefreshes >= 4, "\(statistics)")
        #expect(statistics.permissionRefreshes >= 4, "\(statistics)")
        #expect(statistics.channelRefreshes >= 2, "\(statistics)")
        #expect(statistics.staleNonces >= 1, "\(statistics)")
        #expect(statistics.droppedInput == 0, "\(statistics)")
    }
}

extension TURNClientCoturnTests.Driver {
    /// Steps for `duration`, whatever happens.
    func pump(for duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while ContinuousClock.now < deadline { await step() }
    }
}
