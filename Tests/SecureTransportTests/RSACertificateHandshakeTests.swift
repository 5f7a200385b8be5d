@testable import SecureTransport
import Testing

@Suite("Handshakes with an RSA certificate on one side")
struct RSACertificateHandshakeTests {
    @Test("an RSA server and an ECDSA client connect with an ECDHE-RSA suite")
    func rsaServer() throws {
        let pair = try DTLSPair(serverCertificate: try DTLSCertificate(keyAlgorithm: .rsa2048))
        pair.handshake()
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
        #expect(pair.clientKeys?.localKey == pair.serverKeys?.remoteKey)
        let suite = try #require((pair.server.engine as? OpenSSLDTLSEngine)?.cipherSuiteName)
        #expect(suite.hasPrefix("ECDHE-RSA-"))
    }

    @Test("an RSA client and an ECDSA server connect with an ECDHE-ECDSA suite")
    func rsaClient() throws {
        let pair = try DTLSPair(clientCertificate: try DTLSCertificate(keyAlgorithm: .rsa2048))
        pair.handshake()
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
        #expect(pair.clientKeys?.remoteKey == pair.serverKeys?.localKey)
        let suite = try #require((pair.client.engine as? OpenSSLDTLSEngine)?.cipherSuiteName)
        #expect(suite.hasPrefix("ECDHE-ECDSA-"))
    }

    @Test("an RSA certificate loaded from PEM works like the generated one")
    func rsaFromPEM() throws {
        let generated = try DTLSCertificate(keyAlgorithm: .rsa2048)
        let loaded = try DTLSCertificate(certificatePEM: generated.certificatePEM, privateKeyPEM: generated.privateKeyPEM)
        let pair = try DTLSPair(clientCertificate: loaded, serverExpects: generated.fingerprint)
        pair.handshake()
        #expect(pair.client.state == .connected)
        #expect(pair.server.state == .connected)
    }
}
