#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SecureTransport
import Testing

/// A blocking UDP socket on 127.0.0.1 with bounded receives (test helper).
final class LoopbackUDPSocket {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(descriptor) }

    func send(_ bytes: [UInt8], to port: UInt16) {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = port.bigEndian
        _ = bytes.withUnsafeBytes { buffer in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, buffer.baseAddress, buffer.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
    }

    /// One datagram and the sender's port, or nil after `timeout`.
    func receive(timeout: Duration) -> (bytes: [UInt8], port: UInt16)? {
        var descriptorSet = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = max(1, Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        guard poll(&descriptorSet, 1, milliseconds) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let count = buffer.withUnsafeMutableBytes { bytes in
            withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, bytes.baseAddress, bytes.count, 0, $0, &length) }
            }
        }
        guard count > 0 else { return nil }
        return (Array(buffer.prefix(count)), UInt16(bigEndian: address.sin_port))
    }
}

/// Interoperability with the `openssl` command-line tool (`s_server` / `s_client`,
/// DTLS 1.2 over UDP on 127.0.0.1): the tool's own datagram BIO reads the records
/// this module packs together, and the tool prints the raw `EXTRACTOR-dtls_srtp`
/// output, against which the endpoint's local/remote split is checked.
@Suite("Interop with openssl s_server and s_client over UDP", .serialized)
struct OpenSSLCommandLineInteropTests {
    struct Tool {
        let process: Process
        let input: Pipe
        let output: Pipe
        let directory: URL

        static func start(_ arguments: [String], certificate: DTLSCertificate) throws -> Tool {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dtls-interop-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try certificate.certificatePEM.write(to: directory.appendingPathComponent("cert.pem"), atomically: true, encoding: .utf8)
            try certificate.privateKeyPEM.write(to: directory.appendingPathComponent("key.pem"), atomically: true, encoding: .utf8)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["openssl"] + arguments + [
                "-cert", directory.appendingPathComponent("cert.pem").path,
                "-key", directory.appendingPathComponent("key.pem").path,
            ]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = output
            try process.run()
            return Tool(process: process, input: input, output: output, directory: directory)
        }

        /// Closes stdin, waits (bounded) for the tool to exit, and returns what it printed.
        func finish() async throws -> String {
            try? input.fileHandleForWriting.close()
            let deadline = ContinuousClock.now + .seconds(5)
            while process.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
            return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    /// Moves datagrams between the endpoint and the socket until it connected or
    /// failed, within `limit` of real time. `peerPort` nil: learn it from the first datagram.
    static func drive(_ endpoint: DTLSEndpoint, socket: LoopbackUDPSocket, peerPort: UInt16?, limit: Duration) -> [DTLSEvent] {
        var events: [DTLSEvent] = []
        var peer = peerPort
        let deadline = ContinuousClock.now + limit
        endpoint.start(at: .now)
        while ContinuousClock.now < deadline {
            if let peer {
                while let datagram = endpoint.pollTransmit() { socket.send(datagram, to: peer) }
            }
            while let event = endpoint.pollEvent() { events.append(event) }
            if endpoint.state != .handshaking { break }
            let wait = endpoint.nextTimeout().map { max(.milliseconds(1), $0 - .now) } ?? .milliseconds(50)
            if let (bytes, from) = socket.receive(timeout: min(wait, .milliseconds(50))) {
                peer = from
                endpoint.handle(datagram: bytes, at: .now)
            } else {
                endpoint.handleTimeout(at: .now)
            }
        }
        return events
    }

    /// The bytes after "Keying material: " in the tool's output.
    static func exportedKeyingMaterial(in output: String) -> [UInt8]? {
        guard let line = output.split(separator: "\n").first(where: { $0.contains("Keying material: ") }) else { return nil }
        return hexBytes(String(line.split(separator: ":", maxSplits: 1)[1]))
    }

    @Test("the endpoint as client against openssl s_server", arguments: [SRTPProtectionProfile.aeadAES128GCM, .aes128CMHMACSHA1_80])
    func clientAgainstServer(profile: SRTPProtectionProfile) async throws {
        let toolCertificate = try DTLSCertificate()
        let socket = try LoopbackUDPSocket()
        let port = try LoopbackUDPSocket().port  // a free port for the tool; released when the probe goes away
        let length = SRTPKeyingMaterial.exportedLength(for: profile)
        let tool = try Tool.start(
            [
                "s_server", "-dtls1_2", "-accept", "127.0.0.1:\(port)", "-naccept", "1", "-Verify", "1",
                "-use_srtp", profile.name, "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "\(length)",
            ],
            certificate: toolCertificate)
        let endpoint = try DTLSEndpoint(
            role: .client, certificate: try DTLSCertificate(), remoteFingerprint: toolCertificate.fingerprint,
            srtpProfiles: [profile], initialRetransmitTimeout: .milliseconds(200))
        let events = Self.drive(endpoint, socket: socket, peerPort: port, limit: .seconds(10))
        endpoint.close()
        while let datagram = endpoint.pollTransmit() { socket.send(datagram, to: port) }
        let output = try await tool.finish()

        let keys = try #require(DTLSPair.keys(in: events), "events: \(events)\n\(output)")
        #expect(keys.profile == profile)
        #expect(output.contains("SRTP Extension negotiated, profile=\(profile.name)"))
        let exported = try #require(Self.exportedKeyingMaterial(in: output), "\(output)")
        let k = profile.keyLength, s = profile.saltLength
        #expect(exported.count == length)
        #expect(keys.localKey == Array(exported[0..<k]))
        #expect(keys.remoteKey == Array(exported[k..<(2 * k)]))
        #expect(keys.localSalt == Array(exported[(2 * k)..<(2 * k + s)]))
        #expect(keys.remoteSalt == Array(exported[(2 * k + s)...]))
    }

    @Test("the endpoint as server against openssl s_client with an RSA certificate")
    func serverAgainstClient() async throws {
        let toolCertificate = try DTLSCertificate(keyAlgorithm: .rsa2048)
        let socket = try LoopbackUDPSocket()
        let profile = SRTPProtectionProfile.aes128CMHMACSHA1_80
        let tool = try Tool.start(
            [
                "s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)",
                "-use_srtp", profile.name, "-keymatexport", "EXTRACTOR-dtls_srtp", "-keymatexportlen", "60",
            ],
            certificate: toolCertificate)
        let endpoint = try DTLSEndpoint(
            role: .server, certificate: try DTLSCertificate(), remoteFingerprint: toolCertificate.fingerprint,
            srtpProfiles: [profile])
        let events = Self.drive(endpoint, socket: socket, peerPort: nil, limit: .seconds(10))
        let output = try await tool.finish()

        let keys = try #require(DTLSPair.keys(in: events), "events: \(events)\n\(output)")
        let exported = try #require(Self.exportedKeyingMaterial(in: output), "\(output)")
        #expect(exported.count == 60)
        // The server sends with the server's half: key bytes 16..<32, salt bytes 46..<60.
        #expect(keys.localKey == Array(exported[16..<32]))
        #expect(keys.remoteKey == Array(exported[0..<16]))
        #expect(keys.localSalt == Array(exported[46..<60]))
        #expect(keys.remoteSalt == Array(exported[32..<46]))
    }

    @Test("openssl s_client with a certificate that does not match the fingerprint is refused")
    func clientWithWrongCertificate() async throws {
        let toolCertificate = try DTLSCertificate()
        let socket = try LoopbackUDPSocket()
        let tool = try Tool.start(
            ["s_client", "-dtls1_2", "-connect", "127.0.0.1:\(socket.port)", "-use_srtp", "SRTP_AEAD_AES_128_GCM"],
            certificate: toolCertificate)
        let endpoint = try DTLSEndpoint(
            role: .server, certificate: try DTLSCertificate(), remoteFingerprint: try DTLSCertificate().fingerprint)
        let events = Self.drive(endpoint, socket: socket, peerPort: nil, limit: .seconds(10))
        _ = try await tool.finish()
        #expect(DTLSPair.failure(in: events)?.code == .fingerprintMismatch)
        #expect(DTLSPair.keys(in: events) == nil)
    }
}
