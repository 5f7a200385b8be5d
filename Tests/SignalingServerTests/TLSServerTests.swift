import Foundation
import NIOSSL
import SignalingCore
import SignalingServer
import Testing
import TestSupport

/// `--tls-cert`/`--tls-key`: https and wss on the same port.
@Suite("TLS")
struct TLSServerTests {
    @Test("wss clients that trust the certificate register and exchange messages")
    func secureWebSocket() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("swift-webrtc-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try TestCertificate.make(in: directory)

        let server = try await RunningSignalingServer.start(
            SignalingServerConfiguration(tls: .init(certificatePath: files.certificate, privateKeyPath: files.key)))
        #expect(server.webSocketURL.hasPrefix("wss://"))
        #expect(server.httpBase.hasPrefix("https://"))

        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(files.certificate))
        let sender = try await SignalingClient.connect(to: server.webSocketURL, room: "tls", tlsConfiguration: trusting)
        let receiver = try await SignalingClient.connect(to: server.webSocketURL, room: "tls", tlsConfiguration: trusting)
        try await sender.register(as: .sender)
        try await receiver.register(as: .receiver)
        let offer = SessionDescription(type: .offer, sdp: "v=0\r\n")
        try await sender.send(.createOffer(offer))
        #expect(try await receiver.nextMessage(where: { $0 != .peerJoined(.sender) }) == .createOffer(offer))

        // A client that does not trust the certificate is refused.
        await #expect(throws: SignalingError.self) {
            _ = try await SignalingClient.connect(to: server.webSocketURL, room: "tls")
        }

        await sender.close()
        await receiver.close()
        await server.stop()
    }

    @Test("a missing certificate file is a clear startup error")
    func missingCertificate() async throws {
        let server = SignalingServer(
            configuration: SignalingServerConfiguration(
                port: 0, tls: .init(certificatePath: "/nonexistent/cert.pem", privateKeyPath: "/nonexistent/key.pem")))
        do {
            try await server.run()
            Issue.record("the server started without its certificate")
        } catch let error as SignalingServerError {
            #expect(error.message.contains("/nonexistent/cert.pem"))
        }
    }
}
