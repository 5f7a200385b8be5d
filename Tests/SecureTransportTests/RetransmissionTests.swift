import Logging
@testable import SecureTransport
import Testing

/// OpenSSL's retransmission timer runs on the wall clock, so these tests wait real
/// time; a 100 ms initial timeout keeps every wait short, and every loop is bounded.
@Suite("Lost flights are retransmitted")
struct RetransmissionTests {
    @Test("a lost ClientHello is sent again when the timer fires and the handshake completes")
    func lostClientHello() async throws {
        let pair = try DTLSPair(initialRetransmitTimeout: .milliseconds(100))
        pair.filter = { sender, index, datagram in sender == .client && index == 0 ? nil : datagram }
        let start = ContinuousClock.now
        pair.server.start(at: start)
        pair.client.start(at: start)
        pair.exchange(at: start)
        #expect(pair.sentByClient.count == 1)  // the ClientHello, dropped
        #expect(pair.sentByServer.isEmpty)
        let deadline = try #require(pair.client.nextTimeout())
        #expect(deadline > start)
        #expect(deadline <= start + .milliseconds(100))
        #expect(pair.server.nextTimeout() == nil)

        // Early: nothing happens.
        pair.client.handleTimeout(at: start)
        #expect(pair.client.pollTransmit() == nil)

        try await Task.sleep(until: deadline, clock: .continuous)
        pair.client.handleTimeout(at: .now)
        pair.exchange(at: .now)
        #expect(pair.sentByClient.count >= 2)
        // The same handshake message again, in a record with a new sequence number.
        #expect(pair.sentByClient[1].dropFirst(13) == pair.sentByClient[0].dropFirst(13))
        #expect(pair.sentByClient[1].prefix(11) != pair.sentByClient[0].prefix(11))
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
        #expect(pair.clientKeys?.localKey == pair.serverKeys?.remoteKey)
    }

    @Test("a lost server flight and a lost final client flight are repaired", arguments: [
        (DTLSRole.server, 0), (DTLSRole.client, 1), (DTLSRole.server, 1),
    ])
    func lostLaterFlights(role: DTLSRole, index: Int) async throws {
        let pair = try DTLSPair(initialRetransmitTimeout: .milliseconds(100))
        pair.filter = { sender, sent, datagram in sender == role && sent == index ? nil : datagram }
        try await pair.handshakeOnRealTime(limit: .seconds(5))
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
        #expect(pair.clientKeys?.localKey == pair.serverKeys?.remoteKey)
        #expect(pair.clientKeys?.remoteSalt == pair.serverKeys?.localSalt)
    }

    @Test("with every second datagram lost the handshake still completes")
    func heavyLoss() async throws {
        let pair = try DTLSPair(initialRetransmitTimeout: .milliseconds(50))
        pair.filter = { _, index, datagram in index % 2 == 0 ? nil : datagram }
        // On the wall clock with timers doubling from 50 ms: a loaded machine
        // (the whole suite shares two cores) can need more than 10 s.
        try await pair.handshakeOnRealTime(limit: .seconds(30))
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
    }

    @Test("the default first timeout is one second after the ClientHello")
    func defaultTimeout() throws {
        let pair = try DTLSPair()
        let start = ContinuousClock.now
        pair.client.start(at: start)
        _ = pair.client.pollTransmit()
        let deadline = try #require(pair.client.nextTimeout())
        #expect(deadline > start + .milliseconds(500))  // 1 s less the time between arming and reading the timer
        #expect(deadline <= start + .seconds(1))
    }

    @Test("once connected no timer runs")
    func noTimerWhenConnected() throws {
        let pair = try DTLSPair()
        pair.handshake()
        try #require(pair.client.state == .connected)
        #expect(pair.client.nextTimeout() == nil)
    }
}

/// An engine that does nothing but report a fixed time left and count timer calls.
final class TimerOnlyEngine: DTLSEngine {
    var remaining: Duration? = .milliseconds(700)
    var timerCalls = 0
    var failOnTimer = false

    func continueHandshake() -> DTLSEngineStatus { .inProgress }
    func receive(_ datagram: UnsafeRawBufferPointer) {}
    func readApplicationData() -> DTLSEngineRead { .none }
    func writeApplicationData(_ bytes: UnsafeRawBufferPointer) throws {}
    var maximumApplicationDataSize: Int { 1000 }
    func retransmitTimeRemaining() -> Duration? { remaining }
    func handleRetransmitTimer() throws {
        timerCalls += 1
        if failOnTimer { throw SecureTransportError(.handshakeTimeout, "gave up") }
    }
    func drainOutgoingRecords(into buffer: inout [UInt8]) {}
    func exportKeyingMaterial() throws -> SRTPKeyingMaterial {
        throw SecureTransportError(.keyExportFailed, "not a real engine")
    }
    func shutdown() {}
}

@Suite("The endpoint maps the engine's timer onto the caller's time")
struct TimerSeamTests {
    @Test("nextTimeout is the engine's time left after the latest input, and the timer fires only when due")
    func deadlineFollowsInput() {
        let engine = TimerOnlyEngine()
        let endpoint = DTLSEndpoint(role: .client, engine: engine, mtu: 1200, logger: Logger(label: "test"))
        let t0 = ContinuousClock.now
        #expect(endpoint.nextTimeout() == nil)
        endpoint.start(at: t0)
        #expect(endpoint.nextTimeout() == t0 + .milliseconds(700))

        endpoint.handleTimeout(at: t0 + .milliseconds(699))
        #expect(engine.timerCalls == 0)
        endpoint.handleTimeout(at: t0 + .milliseconds(700))
        #expect(engine.timerCalls == 1)

        // Re-anchored at the time of the latest input.
        engine.remaining = .milliseconds(1400)
        endpoint.handle(datagram: [22, 0xFE, 0xFD], at: t0 + .seconds(2))
        #expect(endpoint.nextTimeout() == t0 + .seconds(2) + .milliseconds(1400))

        engine.remaining = nil
        endpoint.handle(datagram: [22, 0xFE, 0xFD], at: t0 + .seconds(3))
        #expect(endpoint.nextTimeout() == nil)
    }

    @Test("an engine that gives up retransmitting fails the endpoint with handshakeTimeout")
    func giveUp() {
        let engine = TimerOnlyEngine()
        engine.failOnTimer = true
        let endpoint = DTLSEndpoint(role: .client, engine: engine, mtu: 1200, logger: Logger(label: "test"))
        let t0 = ContinuousClock.now
        endpoint.start(at: t0)
        endpoint.handleTimeout(at: t0 + .seconds(1))
        #expect(endpoint.state == .failed)
        #expect(endpoint.pollEvent() == .failed(SecureTransportError(.handshakeTimeout, "gave up")))
        #expect(endpoint.nextTimeout() == nil)
    }
}
