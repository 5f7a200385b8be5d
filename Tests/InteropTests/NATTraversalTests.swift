import Foundation
import Testing
import TestSupport

/// Calls between two home networks behind their own NATs, with
/// `signal-server` and coturn on a "public" network (see `HomeNetworks`):
/// the example programs run in the namespaces exactly as users run them.
@Suite("Calls across NATs (network namespaces, nftables, coturn)")
struct NATTraversalTests {
    static let signalPort = 8080

    /// coturn (STUN and TURN, REST API secret) and signal-server in the
    /// public namespace, handing out the STUN server and, if `turn`, the TURN server.
    struct PublicServers {
        let coturn: Coturn
        let signal: PackageProgram
        var signalURL: String { "ws://\(HomeNetworks.serverAddress):\(NATTraversalTests.signalPort)/" }

        init(_ networks: HomeNetworks, turn: Bool) async throws {
            let secret = "nat-lab-\(UUID().uuidString)"
            coturn = try Coturn(authSecret: secret, listeningIP: HomeNetworks.serverAddress, in: (networks.lab, networks.publicNamespace))
            try await coturn.waitUntilReady()
            let stun = "stun:\(HomeNetworks.serverAddress):\(coturn.port)"
            var arguments = ["--host", HomeNetworks.serverAddress, "--port", "\(NATTraversalTests.signalPort)", "--log-level", "warning", "--stun", stun]
            if turn { arguments += ["--turn", "turn:\(HomeNetworks.serverAddress):\(coturn.port)", "--turn-secret", secret] }
            signal = try PackageProgram("signal-server", arguments: arguments, in: (networks.lab, networks.publicNamespace))
            let program = signal
            _ = try await poll(every: .milliseconds(50), for: .seconds(20), "signal-server to listen") {
                program.output.contains("listening on") ? true : nil
            }
        }

        func stop() async {
            await signal.stop()
            coturn.stop()
        }
    }

    /// webrtc-recv in home 1 and webrtc-send in home 2; returns the receiver's summary once it has `frames` frames.
    static func call(_ networks: HomeNetworks, _ servers: PublicServers, frames: Int = 30, extra: [String] = []) async throws
        -> (receiver: [String: Any], sender: [String: Any]?)
    {
        let output = NativePeerInteropTests.outputDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", servers.signalURL, "--host", HomeNetworks.homeAddresses[0], "--frames", "\(frames)", "--timeout", "40",
            "--output", output.path, "--json",
        ] + extra, in: (networks.lab, networks.homes[0]))
        let sender = try PackageProgram("webrtc-send", arguments: [
            "--signal", servers.signalURL, "--host", HomeNetworks.homeAddresses[1], "--size", "320x240", "--duration", "40", "--json",
        ] + extra, in: (networks.lab, networks.homes[1]))
        let status = try? await receiver.waitForExit(within: .seconds(50))
        _ = try? await sender.waitForExit(within: .seconds(10))
        await sender.stop()
        await receiver.stop()
        #expect(status == 0, "webrtc-recv said: \(receiver.output) \(receiver.diagnostics); webrtc-send said: \(sender.output) \(sender.diagnostics)")
        return (receiver.event("summary") ?? [:], sender.event("summary"))
    }

    @Test("both peers behind port-keeping NATs with STUN only: the call connects on server-reflexive candidates at both ends")
    func serverReflexiveThroughConeNATs() async throws {
        let networks = try HomeNetworks(first: .portKeeping, second: .portKeeping)
        defer { networks.tearDown() }
        let servers = try await PublicServers(networks, turn: false)
        let summary = try await Self.call(networks, servers)
        await servers.stop()
        #expect(summary.receiver["framesDecoded"] as? Int ?? 0 >= 30)
        #expect(summary.receiver["localCandidateType"] as? String == "srflx", "\(summary.receiver)")
        #expect(summary.receiver["remoteCandidateType"] as? String == "srflx", "\(summary.receiver)")
        #expect((summary.receiver["remoteAddress"] as? String ?? "").hasPrefix(HomeNetworks.natAddresses[1] + ":"), "the sender is seen at its NAT's address")
        #expect(summary.sender?["localCandidateType"] as? String == "srflx", "\(summary.sender ?? [:])")
    }

    @Test("one peer behind the port-randomising NAT: server-reflexive candidates cannot work, and the call connects through the TURN relay")
    func relayThroughSymmetricNAT() async throws {
        let networks = try HomeNetworks(first: .portKeeping, second: .portRandomising)
        defer { networks.tearDown() }
        let servers = try await PublicServers(networks, turn: true)
        let summary = try await Self.call(networks, servers)
        await servers.stop()
        #expect(summary.receiver["framesDecoded"] as? Int ?? 0 >= 30)
        let types = [summary.receiver["localCandidateType"] as? String, summary.receiver["remoteCandidateType"] as? String]
        #expect(types.contains("relay"), "\(summary.receiver)")
    }
}
