import Foundation
@testable import SecureTransport
import Testing

/// Two endpoints wired back to back in memory, recording every datagram and event,
/// with a hook that may drop or rewrite a datagram in flight.
final class DTLSPair {
    let clientCertificate: DTLSCertificate
    let serverCertificate: DTLSCertificate
    let client: DTLSEndpoint
    let server: DTLSEndpoint
    private(set) var clientEvents: [DTLSEvent] = []
    private(set) var serverEvents: [DTLSEvent] = []
    /// Every datagram each side sent, before the filter.
    private(set) var sentByClient: [[UInt8]] = []
    private(set) var sentByServer: [[UInt8]] = []
    /// Decides what reaches the other side: nil drops the datagram.
    var filter: (_ sender: DTLSRole, _ index: Int, _ datagram: [UInt8]) -> [UInt8]? = { _, _, datagram in datagram }

    init(
        clientCertificate: DTLSCertificate? = nil,
        serverCertificate: DTLSCertificate? = nil,
        clientExpects: DTLSFingerprint? = nil,
        serverExpects: DTLSFingerprint? = nil,
        clientProfiles: [SRTPProtectionProfile] = DTLSEndpoint.defaultSRTPProfiles,
        serverProfiles: [SRTPProtectionProfile] = DTLSEndpoint.defaultSRTPProfiles,
        mtu: Int = DTLSEndpoint.defaultMTU,
        initialRetransmitTimeout: Duration = .seconds(1)
    ) throws {
        let clientCertificate = try clientCertificate ?? DTLSCertificate()
        let serverCertificate = try serverCertificate ?? DTLSCertificate()
        self.clientCertificate = clientCertificate
        self.serverCertificate = serverCertificate
        client = try DTLSEndpoint(
            role: .client, certificate: clientCertificate,
            remoteFingerprint: clientExpects ?? serverCertificate.fingerprint,
            srtpProfiles: clientProfiles, mtu: mtu, initialRetransmitTimeout: initialRetransmitTimeout)
        server = try DTLSEndpoint(
            role: .server, certificate: serverCertificate,
            remoteFingerprint: serverExpects ?? clientCertificate.fingerprint,
            srtpProfiles: serverProfiles, mtu: mtu, initialRetransmitTimeout: initialRetransmitTimeout)
    }

    /// Moves datagrams both ways until neither side has anything to send (at most
    /// `maxRounds` rounds). Returns the number of datagrams moved.
    @discardableResult
    func exchange(at now: ContinuousClock.Instant, maxRounds: Int = 30) -> Int {
        var moved = 0
        for _ in 0..<maxRounds {
            var movedThisRound = false
            while let datagram = client.pollTransmit() {
                movedThisRound = true
                sentByClient.append(datagram)
                if let delivered = filter(.client, sentByClient.count - 1, datagram) {
                    server.handle(datagram: delivered, at: now)
                }
            }
            while let datagram = server.pollTransmit() {
                movedThisRound = true
                sentByServer.append(datagram)
                if let delivered = filter(.server, sentByServer.count - 1, datagram) {
                    client.handle(datagram: delivered, at: now)
                }
            }
            drainEvents()
            if !movedThisRound { break }
            moved += 1
        }
        return moved
    }

    /// Starts both sides and exchanges datagrams until both are quiet.
    func handshake(at now: ContinuousClock.Instant = .now) {
        server.start(at: now)
        client.start(at: now)
        exchange(at: now)
    }

    /// Runs on real time until both sides connected or failed or `limit` passed:
    /// exchanges, then sleeps until the earliest retransmission deadline and fires it.
    func handshakeOnRealTime(limit: Duration) async throws {
        let start = ContinuousClock.now
        server.start(at: start)
        client.start(at: start)
        while ContinuousClock.now < start + limit {
            exchange(at: .now)
            if isSettled { return }
            let deadlines = [client.nextTimeout(), server.nextTimeout()].compactMap { $0 }
            guard let next = deadlines.min() else { return }
            try await Task.sleep(until: min(next, start + limit), clock: .continuous)
            let now = ContinuousClock.now
            client.handleTimeout(at: now)
            server.handleTimeout(at: now)
        }
        exchange(at: .now)
    }

    func drainEvents() {
        while let event = client.pollEvent() { clientEvents.append(event) }
        while let event = server.pollEvent() { serverEvents.append(event) }
    }

    /// Both connected, or either side failed or closed.
    var isSettled: Bool {
        (client.state == .connected && server.state == .connected)
            || [client.state, server.state].contains(where: { $0 == .failed || $0 == .closed })
    }

    var clientKeys: SRTPKeyingMaterial? { Self.keys(in: clientEvents) }
    var serverKeys: SRTPKeyingMaterial? { Self.keys(in: serverEvents) }

    static func keys(in events: [DTLSEvent]) -> SRTPKeyingMaterial? {
        for case .connected(let keys) in events { return keys }
        return nil
    }

    static func failure(in events: [DTLSEvent]) -> SecureTransportError? {
        for case .failed(let error) in events { return error }
        return nil
    }
}

/// A small deterministic random number generator (SplitMix64) for reproducible garbage.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum RTPSamples {
    /// A 12-byte RTP header (V=2, PT 96) and a patterned payload.
    static func rtp(sequence: UInt16, timestamp: UInt32 = 0x0102_0304, ssrc: UInt32 = 0x1122_3344, payloadLength: Int = 160) -> [UInt8] {
        var packet: [UInt8] = [0x80, 96, UInt8(sequence >> 8), UInt8(sequence & 0xFF)]
        packet += withUnsafeBytes(of: timestamp.bigEndian, Array.init)
        packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
        packet += (0..<payloadLength).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(sequence)) }
        return packet
    }

    /// An RTCP receiver report with one report block (V=2, PT 201, length 7).
    static func rtcp(ssrc: UInt32 = 0x1122_3344) -> [UInt8] {
        var packet: [UInt8] = [0x81, 201, 0x00, 0x07]
        packet += withUnsafeBytes(of: ssrc.bigEndian, Array.init)
        packet += (0..<24).map { UInt8(truncatingIfNeeded: $0 &* 11 &+ 5) }
        return packet
    }
}

/// Runs the `openssl` command-line tool with a bounded wait.
enum OpenSSLTool {
    struct Result {
        var status: Int32
        var output: String
    }

    static func run(_ arguments: [String], input: String = "", timeout: Duration = .seconds(20)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        if process.isRunning {
            process.terminate()
            Issue.record("openssl \(arguments.joined(separator: " ")) did not finish within \(timeout)")
        }
        process.waitUntilExit()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }
}

/// Parses "AB:CD" hex into bytes (test inputs only).
func hexBytes(_ text: String) -> [UInt8] {
    let digits = text.filter(\.isHexDigit)
    var bytes: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2)
        bytes.append(UInt8(digits[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}
