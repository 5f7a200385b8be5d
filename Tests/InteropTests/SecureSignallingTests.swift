import Foundation
import SignalingServer
import Testing
import TestSupport

/// The native programs with a `wss://` signalling server whose certificate
/// is self-signed, as the README recommends for calls between machines.
@Suite("Native peers over wss:// with a self-signed certificate")
struct SecureSignallingTests {
    @Test("with --ca-cert, webrtc-send and webrtc-recv join a wss:// server by IP address and by host name and stream", arguments: ["127.0.0.1", "localhost"])
    func trustedSelfSigned(host: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try TestCertificate.make(in: directory)
        let server = try await RunningSignalingServer.start(
            SignalingServerConfiguration(tls: .init(certificatePath: files.certificate, privateKeyPath: files.key)))
        let signal = "wss://\(host):\(server.port)/"
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", signal, "--ca-cert", files.certificate, "--frames", "30", "--timeout", "30",
            "--output", directory.appendingPathComponent("out").path, "--json",
        ])
        let sender = try PackageProgram("webrtc-send", arguments: [
            "--signal", signal, "--ca-cert", files.certificate, "--size", "160x120", "--duration", "30", "--json",
        ])
        #expect(try await receiver.waitForExit(within: .seconds(40)) == 0, "webrtc-recv said: \(receiver.diagnostics)")
        #expect(receiver.event("summary")?["framesDecoded"] as? Int ?? 0 >= 30)
        await sender.stop()
        await server.stop()
    }

    @Test("without --ca-cert, the self-signed certificate is refused and webrtc-recv exits with an error")
    func untrustedSelfSigned() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wss-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try TestCertificate.make(in: directory)
        let server = try await RunningSignalingServer.start(
            SignalingServerConfiguration(tls: .init(certificatePath: files.certificate, privateKeyPath: files.key)))
        let receiver = try PackageProgram("webrtc-recv", arguments: ["--signal", "wss://localhost:\(server.port)/", "--timeout", "10"])
        #expect(try await receiver.waitForExit(within: .seconds(20)) != 0)
        #expect(receiver.diagnostics.lowercased().contains("certificate"), "\(receiver.diagnostics)")
        await server.stop()
    }
}
