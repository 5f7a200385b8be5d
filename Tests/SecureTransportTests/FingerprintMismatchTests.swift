import SecureTransport
import Testing

@Suite("A certificate that does not match the signalled fingerprint")
struct FingerprintMismatchTests {
    static func connected(_ events: [DTLSEvent]) -> Bool {
        events.contains { if case .connected = $0 { true } else { false } }
    }

    @Test("a client expecting another fingerprint fails with fingerprintMismatch; no side produces keys")
    func clientDetectsMismatch() throws {
        let impostor = try DTLSCertificate()
        let pair = try DTLSPair(clientExpects: impostor.fingerprint)
        pair.handshake()
        #expect(pair.client.state == .failed)
        #expect(DTLSPair.failure(in: pair.clientEvents)?.code == .fingerprintMismatch)
        #expect(pair.clientEvents.count == 1)
        #expect(pair.client.keyingMaterial == nil)
        // The client's fatal alert ends the server's handshake too.
        #expect(pair.server.state == .failed)
        #expect(DTLSPair.failure(in: pair.serverEvents)?.code == .handshakeFailed)
        #expect(pair.server.keyingMaterial == nil)
        #expect(!Self.connected(pair.clientEvents))
        #expect(!Self.connected(pair.serverEvents))
    }

    @Test("a server expecting another fingerprint fails with fingerprintMismatch; no side produces keys")
    func serverDetectsMismatch() throws {
        let impostor = try DTLSCertificate()
        let pair = try DTLSPair(serverExpects: impostor.fingerprint)
        pair.handshake()
        #expect(pair.server.state == .failed)
        #expect(DTLSPair.failure(in: pair.serverEvents)?.code == .fingerprintMismatch)
        #expect(pair.server.keyingMaterial == nil)
        #expect(pair.client.state == .failed)
        #expect(pair.client.keyingMaterial == nil)
        #expect(!Self.connected(pair.clientEvents))
        #expect(!Self.connected(pair.serverEvents))
    }

    @Test("after the failure, further datagrams are ignored and nothing is delivered")
    func nothingAfterFailure() throws {
        let impostor = try DTLSCertificate()
        let pair = try DTLSPair(clientExpects: impostor.fingerprint)
        pair.handshake()
        try #require(pair.client.state == .failed)
        for datagram in pair.sentByServer {
            pair.client.handle(datagram: datagram, at: .now)
        }
        pair.client.handleTimeout(at: .now + .seconds(120))
        #expect(pair.client.pollEvent() == nil)
        #expect(pair.client.pollTransmit() == nil)
        #expect(pair.client.nextTimeout() == nil)
        #expect(throws: SecureTransportError.self) { try pair.client.send(applicationData: [1]) }
    }

    @Test("a fingerprint of the right certificate in another hash (sha-1, sha-512) is accepted")
    func otherHashAccepted() throws {
        let server = try DTLSCertificate()
        let client = try DTLSCertificate()
        let pair = try DTLSPair(
            clientCertificate: client, serverCertificate: server,
            clientExpects: try DTLSFingerprint(algorithm: .sha512, certificateDER: server.derEncoded),
            serverExpects: try DTLSFingerprint(algorithm: .sha1, certificateDER: client.derEncoded))
        pair.handshake()
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
    }

    @Test("a fingerprint that differs in its last bit is a mismatch")
    func oneBitDifference() throws {
        let server = try DTLSCertificate()
        var bytes = server.fingerprint.bytes
        bytes[bytes.count - 1] ^= 0x01
        let pair = try DTLSPair(serverCertificate: server, clientExpects: try DTLSFingerprint(algorithm: .sha256, bytes: bytes))
        pair.handshake()
        #expect(DTLSPair.failure(in: pair.clientEvents)?.code == .fingerprintMismatch)
        #expect(!Self.connected(pair.clientEvents))
    }
}
