import Foundation
import Testing
import TestSupport

/// Every test that builds network namespaces, one at a time: each runs
/// several programs (peers, coturn, signal-server, sometimes Chromium), and
/// two at once on a 2-core machine starve the rest of the suite.
@Suite("Network-namespace topologies", .serialized)
enum NetworkNamespaceTests {}

extension NetworkNamespaceTests {
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

            /// - Parameters:
            ///   - turn: hand out the TURN server too.
            ///   - transport: how clients reach it (TLS needs `certificate`).
            init(_ networks: HomeNetworks, turn: Bool, transport: String = "udp", certificate: (certificate: String, key: String)? = nil) async throws {
                let secret = "nat-lab-\(UUID().uuidString)"
                coturn = try Coturn(
                    authSecret: secret, tls: certificate, listeningIP: HomeNetworks.serverAddress, in: (networks.lab, networks.publicNamespace))
                try await coturn.waitUntilReady()
                let server = HomeNetworks.serverAddress
                let stun = "stun:\(server):\(coturn.port)"
                var arguments = ["--host", server, "--port", "\(NATTraversalTests.signalPort)", "--log-level", "warning", "--stun", stun]
                let url = switch transport {
                case "tcp": "turn:\(server):\(coturn.port)?transport=tcp"
                case "tls": "turns:\(server):\(coturn.tlsPort ?? 0)"
                default: "turn:\(server):\(coturn.port)"
                }
                if turn { arguments += ["--turn", url, "--turn-secret", secret] }
                signal = try PackageProgram("signal-server", arguments: arguments, in: (networks.lab, networks.publicNamespace))
                let program = signal
                _ = try await poll(every: .milliseconds(50), for: .seconds(20), "signal-server to listen") {
                    program.output.contains("listening on") ? true : nil
                }
                // And reachable from both homes, through their NATs.
                let probe = "import socket; socket.create_connection((\"\(server)\", \(NATTraversalTests.signalPort)), 1).close()"
                for home in networks.homes {
                    _ = try await poll(every: .milliseconds(100), for: .seconds(20), "signal-server to be reachable from \(home)") {
                        (try? await networks.lab.exec(home, ["/usr/bin/env", "python3", "-c", probe])) != nil ? true : nil
                    }
                }
            }

            func stop() async {
                await signal.stop()
                coturn.stop()
            }
        }

        /// webrtc-recv in home 1 (until `receiverFrames` frames, or two
        /// minutes) and webrtc-send in home 2 (a small picture for two minutes).
        static func startPeers(_ networks: HomeNetworks, _ servers: PublicServers, receiverFrames: Int, output: URL) throws
            -> (receiver: PackageProgram, sender: PackageProgram)
        {
            let receiver = try PackageProgram("webrtc-recv", arguments: [
                "--signal", servers.signalURL, "--host", HomeNetworks.homeAddresses[0], "--frames", "\(receiverFrames)", "--timeout", "120",
                "--output", output.path, "--json",
            ], in: (networks.lab, networks.homes[0]))
            let sender = try PackageProgram("webrtc-send", arguments: [
                "--signal", servers.signalURL, "--host", HomeNetworks.homeAddresses[1], "--size", "160x120", "--duration", "120", "--json",
            ], in: (networks.lab, networks.homes[1]))
            return (receiver, sender)
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
            let networks = try await HomeNetworks(first: .portKeeping, second: .portKeeping)
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

        @Test("relay-only calls across two NATs over TURN/UDP, TURN/TCP and TURN/TLS: the selected pair is relayed over that protocol", arguments: ["udp", "tcp", "tls"])
        func relayOnlyAcrossNATs(transport: String) async throws {
            let networks = try await HomeNetworks(first: .portKeeping, second: .portRandomising)
            defer { networks.tearDown() }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lab-tls-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let certificate = try TestCertificate.make(in: directory, ipAddresses: [HomeNetworks.serverAddress])
            let servers = try await PublicServers(networks, turn: true, transport: transport, certificate: certificate)
            let summary = try await Self.call(networks, servers, extra: ["--relay-only", "--ca-cert", certificate.certificate])
            await servers.stop()
            #expect(summary.receiver["framesDecoded"] as? Int ?? 0 >= 30)
            #expect(summary.receiver["localCandidateType"] as? String == "relay", "\(summary.receiver)")
            #expect(summary.receiver["relayProtocol"] as? String == transport, "\(summary.receiver)")
            #expect(summary.sender?["localCandidateType"] as? String == "relay", "\(summary.sender ?? [:])")
        }

        @Test("one peer behind the port-randomising NAT: server-reflexive candidates cannot work, and the call connects through the TURN relay")
        func relayThroughSymmetricNAT() async throws {
            let networks = try await HomeNetworks(first: .portKeeping, second: .portRandomising)
            defer { networks.tearDown() }
            let servers = try await PublicServers(networks, turn: true)
            let summary = try await Self.call(networks, servers)
            await servers.stop()
            #expect(summary.receiver["framesDecoded"] as? Int ?? 0 >= 30)
            let types = [summary.receiver["localCandidateType"] as? String, summary.receiver["remoteCandidateType"] as? String]
            #expect(types.contains("relay"), "\(summary.receiver)")
        }
    }

    /// Consent freshness (RFC 7675) on a real path that nftables breaks in the middle of a call.
    @Suite("Consent across a NAT when the path breaks")
    struct ConsentAcrossNATTests {
        /// The packets counted by the first counter rule of `nat`'s `inet lab forward` chain.
        static func countedPackets(_ networks: HomeNetworks, _ nat: String) async throws -> Int {
            let listing = try await networks.lab.exec(nat, [NetworkLab.nftPath!, "list", "chain", "inet", "lab", "forward"])
            guard let range = listing.range(of: "counter packets ") else { return 0 }
            return Int(listing[range.upperBound...].prefix { $0.isNumber }) ?? 0
        }

        /// The first `state` event with `state`, and when (ms after start) it came.
        static func state(_ program: PackageProgram, _ state: String) -> Int? {
            program.events.first { $0["event"] as? String == "state" && $0["state"] as? String == state }?["afterMs"] as? Int
        }

        @Test("with UDP dropped at the sender's NAT mid-call: RTP keeps leaving while disconnected, consent expires on both sides about 30 s after the drop (ICE restarts notwithstanding), and no RTP or RTCP leaves the sender afterwards")
        func pathLost() async throws {
            let networks = try await HomeNetworks(first: .portKeeping, second: .portKeeping)
            defer { networks.tearDown() }
            let servers = try await NATTraversalTests.PublicServers(networks, turn: false)
            let output = NativePeerInteropTests.outputDirectory()
            defer { try? FileManager.default.removeItem(at: output) }
            let (receiver, sender) = try NATTraversalTests.startPeers(networks, servers, receiverFrames: 1000000, output: output)
            let nat = networks.nats[1]
            do {
                _ = try await poll(for: .seconds(20), "the call to connect") { receiver.event("connected") != nil ? true : nil }
                try await Task.sleep(for: .seconds(1))
                // Count the RTP and RTCP the sender sends (UDP whose first
                // payload bits are version 2; STUN starts with 00), then
                // drop every UDP packet through its NAT.
                try await networks.lab.exec(nat, [
                    NetworkLab.nftPath!, "add", "rule", "inet", "lab", "forward", "ip", "saddr", HomeNetworks.homeAddresses[1],
                    "meta", "l4proto", "udp", "@th,64,2", "2", "counter",
                ])
                try await networks.lab.exec(nat, [NetworkLab.nftPath!, "add", "rule", "inet", "lab", "forward", "meta", "l4proto", "udp", "drop"])
                let droppedAt = ContinuousClock.now
                let atDrop = try await Self.countedPackets(networks, nat)
                _ = try await poll(for: .seconds(15), "the receiver to see the path as disconnected") { Self.state(receiver, "disconnected") }
                let whileDisconnected = try await Self.countedPackets(networks, nat)
                #expect(whileDisconnected > atDrop + 50, "media keeps going out while disconnected: \(atDrop) -> \(whileDisconnected)")
                _ = try await poll(for: .seconds(45), "the sender's consent to expire") { sender.event("consent-expired") != nil ? true : nil }
                let expiredAfter = ContinuousClock.now - droppedAt
                #expect(expiredAfter >= .seconds(25) && expiredAfter <= .seconds(40), "consent expired \(expiredAfter) after the drop")
                let atExpiry = try await Self.countedPackets(networks, nat)
                try await Task.sleep(for: .seconds(3))
                #expect(try await Self.countedPackets(networks, nat) == atExpiry, "no RTP or RTCP left after consent expired")
                _ = try await poll(for: .seconds(15), "the receiver's consent to expire too") {
                    receiver.event("consent-expired") != nil ? true : nil
                }
            } catch {
                Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics); webrtc-send said: \(sender.diagnostics)")
            }
            await sender.stop()
            await receiver.stop()
            await servers.stop()
        }

        @Test("with UDP dropped at the sender's NAT until the receiver sees the call disconnected, then let through again a second later, the call comes back connected on its own and decoding resumes (150 frames reached); the break counts as a freeze")
        func pathRestored() async throws {
            let networks = try await HomeNetworks(first: .portKeeping, second: .portKeeping)
            defer { networks.tearDown() }
            let servers = try await NATTraversalTests.PublicServers(networks, turn: false)
            let output = NativePeerInteropTests.outputDirectory()
            defer { try? FileManager.default.removeItem(at: output) }
            // 150 frames (5 s at 30 fps) can be reached only if decoding resumes after the break.
            let (receiver, sender) = try NATTraversalTests.startPeers(networks, servers, receiverFrames: 150, output: output)
            let nat = networks.nats[1]
            do {
                _ = try await poll(for: .seconds(20), "the call to connect") { receiver.event("connected") != nil ? true : nil }
                try await Task.sleep(for: .seconds(1))
                try await networks.lab.exec(nat, [NetworkLab.nftPath!, "add", "rule", "inet", "lab", "forward", "meta", "l4proto", "udp", "drop"])
                _ = try await poll(for: .seconds(15), "the receiver to see the path as disconnected") { Self.state(receiver, "disconnected") }
                try await Task.sleep(for: .seconds(1))
                try await networks.lab.exec(nat, [NetworkLab.nftPath!, "flush", "chain", "inet", "lab", "forward"])
                let restoredAt = receiver.events.count
                _ = try await poll(for: .seconds(10), "the receiver to be connected again") { () -> Bool? in
                    receiver.events.dropFirst(restoredAt).contains { $0["event"] as? String == "state" && $0["state"] as? String == "connected" } ? true : nil
                }
                // Frames are decoded again: the receiver reaches its 150 and ends by itself.
                #expect(try await receiver.waitForExit(within: .seconds(20)) == 0, "webrtc-recv said: \(receiver.diagnostics)")
                let summary = receiver.event("summary")
                #expect(summary?["framesDecoded"] as? Int ?? 0 >= 150)
                #expect(summary?["freezeCount"] as? Int ?? 0 >= 1, "\(summary ?? [:])")
                #expect(receiver.event("consent-expired") == nil && sender.event("consent-expired") == nil)
                #expect(receiver.events.filter { $0["event"] as? String == "connected" }.count == 1, "one call, not a new one")
            } catch {
                Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics); webrtc-send said: \(sender.diagnostics)")
            }
            await sender.stop()
            await receiver.stop()
            await servers.stop()
        }
    }

    /// ICE restart on a real network change: the receiver's NAT gets a new public address mid-call.
    @Suite("ICE restart across a NAT whose address changes")
    struct ICERestartAcrossNATTests {
        @Test("when the receiver's NAT moves its UDP mappings to a new public address mid-call, the sender goes disconnected, restarts ICE, and is connected again within 1 s of the restart; the receiver reaches 150 frames on its new address")
        func addressChange() async throws {
            let networks = try await HomeNetworks(first: .portKeeping, second: .portKeeping)
            defer { networks.tearDown() }
            let servers = try await NATTraversalTests.PublicServers(networks, turn: false)
            let output = NativePeerInteropTests.outputDirectory()
            defer { try? FileManager.default.removeItem(at: output) }
            let (receiver, sender) = try NATTraversalTests.startPeers(networks, servers, receiverFrames: 150, output: output)
            let nat = networks.nats[0]
            let newAddress = "203.0.113.21"
            do {
                _ = try await poll(for: .seconds(20), "the call to connect") { receiver.event("connected") != nil ? true : nil }
                try await Task.sleep(for: .seconds(1))
                // The receiver's router gets a new public address for UDP and
                // forgets its UDP mappings (an ISP's address change, a carrier
                // NAT rebinding). Its TCP mapping, the signalling connection,
                // stays: a real app would reconnect its signalling; ours do not.
                try await networks.lab.exec(nat, [NetworkLab.ipPath!, "addr", "add", "\(newAddress)/24", "dev", "wan"])
                try await networks.lab.exec(nat, [NetworkLab.nftPath!, "insert", "rule", "ip", "nat", "postrouting", "oifname", "wan", "meta", "l4proto", "udp", "snat", "to", newAddress])
                try await networks.lab.forgetUDPMappings(in: nat)
                let restartAt = try await poll(for: .seconds(20), "the sender to restart ICE") { sender.event("ice-restart")?["afterMs"] as? Int }
                let reconnectedAt = try await poll(for: .seconds(10), "the sender to be connected again") { () -> Int? in
                    sender.events.first {
                        $0["event"] as? String == "state" && $0["state"] as? String == "connected" && ($0["afterMs"] as? Int ?? 0) >= restartAt
                    }?["afterMs"] as? Int
                }
                #expect(reconnectedAt - restartAt <= 1000, "connected again \(reconnectedAt - restartAt) ms after the restart")
                #expect(try await receiver.waitForExit(within: .seconds(30)) == 0, "webrtc-recv said: \(receiver.diagnostics)")
                let summary = receiver.event("summary")
                #expect(summary?["framesDecoded"] as? Int ?? 0 >= 150)
                let localAddress = summary?["localAddress"] as? String ?? ""
                #expect(localAddress.hasPrefix(newAddress + ":"), "the call runs on the new address: \(summary ?? [:])")
            } catch {
                Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics); webrtc-send said: \(sender.diagnostics)")
            }
            await sender.stop()
            await receiver.stop()
            await servers.stop()
        }
    }
}
