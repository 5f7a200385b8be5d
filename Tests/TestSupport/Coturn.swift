import Foundation

/// A real coturn (`turnserver`) on 127.0.0.1, started by a test with a
/// generated configuration in a temporary folder and stopped when dropped.
///
/// It listens for UDP and TCP on ``port`` (and TLS on ``tlsPort`` when given
/// a certificate), relays on 127.0.0.1 and lets loopback peers through.
/// Credentials are either fixed users (long-term credentials) or the TURN
/// REST API's shared secret (`use-auth-secret`).
public final class Coturn: @unchecked Sendable {
    /// The realm the server announces.
    public static let realm = "swift-webrtc.test"

    /// The UDP and TCP port.
    public let port: UInt16
    /// The TLS port, when started with a certificate.
    public let tlsPort: UInt16?
    private let process = Process()
    private let lab: (lab: NetworkLab, namespace: String)?
    private let listeningIP: String
    private let directory: URL
    private let logHandle: FileHandle

    /// Starts coturn; fails with a clear message when `turnserver` is missing.
    ///
    /// - Parameters:
    ///   - users: `name: password` pairs for long-term credentials.
    ///   - authSecret: a TURN REST API secret (`use-auth-secret`) instead of users.
    ///   - tls: a PEM certificate and key to also listen for TLS.
    ///   - options: more `name=value` lines for the configuration (lifetimes and such).
    ///   - listeningIP: the address it listens and relays on.
    ///   - lab: a network lab and one of its namespaces to run in (instead of the test's own network).
    public init(
        users: [String: String] = [:], authSecret: String? = nil, tls: (certificate: String, key: String)? = nil, options: [String] = [],
        listeningIP: String = "127.0.0.1", in lab: (lab: NetworkLab, namespace: String)? = nil
    ) throws {
        guard let executable = ["/usr/bin/turnserver", "/usr/sbin/turnserver", "/usr/local/bin/turnserver"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw DeadlineExceeded(what: "turnserver (coturn) is not installed: run scripts/bootstrap")
        }
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("coturn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = UInt16.random(in: 20_000...39_999)
        tlsPort = tls == nil ? nil : port + 10_000
        // A small relay port range of its own starts fast (coturn prepares every port of it).
        let relayPorts = 40_000 + Int(port % 100) * 200
        var lines = [
            "listening-ip=\(listeningIP)", "relay-ip=\(listeningIP)", "listening-port=\(port)",
            "realm=\(Self.realm)", "allow-loopback-peers", "no-cli", "no-dtls", "fingerprint",
            "no-multicast-peers", "no-rfc5780", "no-stun-backward-compatibility",
            "min-port=\(relayPorts)", "max-port=\(relayPorts + 199)", "simple-log", "log-file=\(directory.path)/coturn.log", "verbose",
            "pidfile=\(directory.path)/turnserver.pid",
        ]
        if let authSecret {
            lines += ["use-auth-secret", "static-auth-secret=\(authSecret)"]
        } else {
            lines.append("lt-cred-mech")
            lines += users.map { "user=\($0.key):\($0.value)" }
        }
        if let tls, let tlsPort {
            lines += ["tls-listening-port=\(tlsPort)", "cert=\(tls.certificate)", "pkey=\(tls.key)"]
        } else {
            lines.append("no-tls")
        }
        lines += options
        let configuration = directory.appendingPathComponent("turnserver.conf")
        try (lines.joined(separator: "\n") + "\n").write(to: configuration, atomically: true, encoding: .utf8)
        let log = directory.appendingPathComponent("turnserver.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        logHandle = try FileHandle(forWritingTo: log)
        let command = (lab.map { $0.lab.prefix(for: $0.namespace) } ?? []) + [executable, "-c", configuration.path]
        self.lab = lab
        self.listeningIP = listeningIP
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        // coturn writes its own log (coturn.log); stdout gets only its start-up banner.
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
    }

    /// What coturn logged so far.
    public var log: String {
        (try? String(contentsOf: directory.appendingPathComponent("coturn.log"), encoding: .utf8)) ?? ""
    }

    /// Waits (bounded) until coturn answers a STUN Binding request on its UDP port.
    public func waitUntilReady(within limit: Duration = .seconds(10)) async throws {
        if let lab {
            // Probe from inside its namespace, with python3's sockets.
            let script = """
                import os, socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
                s.sendto(bytes([0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42]) + os.urandom(12), ("\(listeningIP)", \(port)))
                assert s.recv(512)[:2] == bytes([1, 1])
                """
            _ = try await poll(every: .milliseconds(100), for: limit, "coturn to answer in \(lab.namespace)") { () -> Bool? in
                guard self.process.isRunning else {
                    throw DeadlineExceeded(what: "coturn exited with status \(self.process.terminationStatus); its log:\n\(self.log.suffix(2000))")
                }
                return (try? await lab.lab.exec(lab.namespace, ["/usr/bin/env", "python3", "-c", script])) != nil ? true : nil
            }
            return
        }
        let probe = try UDPTestSocket()
        // A Binding request: type 0x0001, length 0, the magic cookie, a transaction ID.
        let request: [UInt8] = [0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42] + (0..<12).map { _ in UInt8.random(in: 0...255) }
        let port = self.port
        _ = try await poll(every: .milliseconds(50), for: limit, "coturn to answer on port \(port)") { () -> Bool? in
            guard self.process.isRunning else {
                throw DeadlineExceeded(what: "coturn exited with status \(self.process.terminationStatus); its log:\n\(self.log.suffix(2000))")
            }
            probe.send(request, to: port)
            guard let answer = await probe.receive(timeout: .milliseconds(100)), answer.bytes.count >= 20, answer.bytes[0] == 0x01, answer.bytes[1] == 0x01 else {
                return nil
            }
            return true
        }
    }

    /// Stops coturn and removes its folder. SIGKILL: a child of the test
    /// process inherits its blocked signals, and coturn then never sees SIGTERM.
    public func stop() {
        if process.isRunning, !PackageProgram.hasEnded(process.processIdentifier) {
            kill(process.processIdentifier, SIGKILL)
            let deadline = Date().addingTimeInterval(3)
            while process.isRunning, !PackageProgram.hasEnded(process.processIdentifier), Date() < deadline { usleep(10_000) }
        }
        try? logHandle.close()
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { stop() }
}
