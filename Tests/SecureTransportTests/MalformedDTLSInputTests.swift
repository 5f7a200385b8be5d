import SecureTransport
import Testing

@Suite("Malformed DTLS datagrams are dropped or fail the endpoint, never crash it")
struct MalformedDTLSInputTests {
    static func isConnected(_ event: DTLSEvent) -> Bool {
        if case .connected = event { true } else { false }
    }

    @Test("every truncation of the ClientHello is dropped; the whole one then completes the handshake")
    func truncatedClientHello() throws {
        let pair = try DTLSPair()
        let now = ContinuousClock.now
        pair.server.start(at: now)
        pair.client.start(at: now)
        let hello = try #require(pair.client.pollTransmit())
        for length in 0..<hello.count {
            pair.server.handle(datagram: hello.prefix(length), at: now)
        }
        #expect(pair.server.state == .handshaking)
        #expect(pair.server.pollTransmit() == nil)
        #expect(pair.server.pollEvent() == nil)

        pair.server.handle(datagram: hello, at: now)
        pair.exchange(at: now)
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
    }

    @Test("random garbage in the DTLS range is dropped by a waiting server and by a waiting client")
    func randomGarbage() throws {
        var random = SeededGenerator(seed: 0x5EED_D715)
        let pair = try DTLSPair()
        let now = ContinuousClock.now
        pair.server.start(at: now)
        pair.client.start(at: now)
        let hello = try #require(pair.client.pollTransmit())
        for _ in 0..<500 {
            var garbage = (0..<Int.random(in: 1...1500, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            garbage[0] = UInt8.random(in: 20...63, using: &random)
            pair.server.handle(datagram: garbage, at: now)
            pair.client.handle(datagram: garbage, at: now)
        }
        #expect(pair.server.pollTransmit() == nil)
        #expect(pair.server.pollEvent() == nil)
        #expect(pair.client.pollEvent() == nil)
        #expect(pair.server.state == .handshaking)
        #expect(pair.client.state == .handshaking)

        pair.server.handle(datagram: hello, at: now)
        pair.exchange(at: now)
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
    }

    @Test("a well-framed handshake record with a garbage body is dropped or fails the handshake; never keys")
    func garbageHandshakeBody() throws {
        var random = SeededGenerator(seed: 42)
        for _ in 0..<50 {
            let pair = try DTLSPair()
            let now = ContinuousClock.now
            pair.server.start(at: now)
            let length = Int.random(in: 0...300, using: &random)
            // Handshake record, DTLS 1.2 (0xFEFD), epoch 0, sequence 0, then the length.
            var record: [UInt8] = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, UInt8(length >> 8), UInt8(length & 0xFF)]
            record += (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            pair.server.handle(datagram: record, at: now)
            pair.drainEvents()
            #expect(!pair.serverEvents.contains(where: Self.isConnected))
            for case .failed(let error) in pair.serverEvents {
                #expect(error.code == .handshakeFailed)
            }
            #expect(pair.server.keyingMaterial == nil)
        }
    }

    @Test("a ClientHello with a corrupted byte fails the handshake or is dropped; never keys", arguments: [14, 20, 30, 60, 100])
    func corruptedClientHello(offset: Int) throws {
        let pair = try DTLSPair()
        let now = ContinuousClock.now
        pair.server.start(at: now)
        pair.client.start(at: now)
        var hello = try #require(pair.client.pollTransmit())
        try #require(offset < hello.count)
        hello[offset] ^= 0xFF
        pair.server.handle(datagram: hello, at: now)
        pair.exchange(at: now)
        #expect(!pair.serverEvents.contains(where: Self.isConnected))
        for case .failed(let error) in pair.serverEvents + pair.clientEvents {
            #expect(error.code == .handshakeFailed)
        }
    }

    @Test("after connecting, garbage, truncated and tampered records are dropped and data still flows")
    func garbageWhenConnected() throws {
        let pair = try DTLSPair()
        pair.handshake()
        try #require(pair.client.state == .connected)
        try pair.client.send(applicationData: Array("first".utf8))
        let record = try #require(pair.client.pollTransmit())

        var random = SeededGenerator(seed: 7)
        let now = ContinuousClock.now
        for length in 0..<record.count {
            pair.server.handle(datagram: record.prefix(length), at: now)
        }
        for index in 13..<record.count {
            var tampered = record
            tampered[index] ^= 0x55
            pair.server.handle(datagram: tampered, at: now)
        }
        for _ in 0..<200 {
            var garbage = (0..<Int.random(in: 1...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            garbage[0] = 23
            pair.server.handle(datagram: garbage, at: now)
        }
        pair.server.handle(datagram: [UInt8](), at: now)
        #expect(pair.server.pollEvent() == nil)
        #expect(pair.server.state == .connected)

        pair.server.handle(datagram: record, at: now)
        #expect(pair.server.pollEvent() == .applicationData(Array("first".utf8)))
        // A replayed record is dropped too (DTLS replay protection).
        pair.server.handle(datagram: record, at: now)
        #expect(pair.server.pollEvent() == nil)
        #expect(pair.server.state == .connected)
    }
}
