import Foundation
import Testing
import TestSupport

extension NetworkNamespaceTests {
    /// Chromium in its default mode (host candidates hidden behind mDNS names)
    /// and a Swift peer in different homes, behind different NATs, through
    /// coturn: one NAT keeps ports, the other randomises them, so the call needs
    /// the relay. Chromium runs inside its home's namespace, driven over its
    /// DevTools pipe.
    @Suite("Chromium and a Swift peer behind different NATs", .serialized)
    struct ChromiumAcrossNATTests {
        static func candidateLines(_ sdp: String) -> [Substring] {
            sdp.split(separator: "\r\n").filter { $0.hasPrefix("a=candidate") }
        }

        static var pages: String { "http://\(HomeNetworks.serverAddress):\(NATTraversalTests.signalPort)" }

        @Test("the sender page (a canvas, no camera) in default Chromium behind one NAT streams through coturn to webrtc-recv behind the port-randomising NAT; Chromium offered mDNS names, and the call is relayed")
        func chromiumSends() async throws {
            let networks = try await HomeNetworks(first: .portKeeping, second: .portRandomising)
            defer { networks.tearDown() }
            let servers = try await NATTraversalTests.PublicServers(networks, turn: true)
            let output = NativePeerInteropTests.outputDirectory()
            defer { try? FileManager.default.removeItem(at: output) }
            let receiver = try PackageProgram("webrtc-recv", arguments: [
                "--signal", servers.signalURL, "--host", HomeNetworks.homeAddresses[1], "--room", "nat", "--frames", "30",
                "--timeout", "60", "--output", output.path, "--json",
            ], in: (networks.lab, networks.homes[1]))
            let browser = try await NamespacedChromium.launch(in: networks.lab, namespace: networks.homes[0], secureOrigin: Self.pages)
            do {
                let sender = try await browser.devTools.openPage("\(Self.pages)/sender.html?room=nat&media=canvas")
                try await NativePeerInteropTests.pressSend(on: sender, devTools: browser.devTools)
                // The offer as the page set it, read while the call is up.
                let offer = try await poll(for: .seconds(30), "the page's offer with its candidates") { () -> String? in
                    let sdp = try await browser.devTools.evaluateString(
                        "pc && pc.iceGatheringState === 'complete' ? pc.localDescription.sdp : ''", in: sender) ?? ""
                    return sdp.isEmpty ? nil : sdp
                }
                let status = try await receiver.waitForExit(within: .seconds(70))
                #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics)")
                let summary = receiver.event("summary") ?? [:]
                #expect(summary["framesDecoded"] as? Int ?? 0 >= 30)
                let types = [summary["localCandidateType"] as? String, summary["remoteCandidateType"] as? String]
                #expect(types.contains("relay"), "\(summary)")
                #expect(offer.contains(".local "), "Chromium hid its host address behind an mDNS name: \(Self.candidateLines(offer))")
            } catch {
                Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics)")
            }
            await receiver.stop()
            await browser.stop()
            await servers.stop()
        }

        @Test("webrtc-send behind the port-randomising NAT streams through coturn to the receiver page in default Chromium behind the other NAT, which decodes 30 frames; Chromium answered with mDNS names")
        func chromiumReceives() async throws {
            let networks = try await HomeNetworks(first: .portKeeping, second: .portRandomising)
            defer { networks.tearDown() }
            let servers = try await NATTraversalTests.PublicServers(networks, turn: true)
            let browser = try await NamespacedChromium.launch(in: networks.lab, namespace: networks.homes[0], secureOrigin: Self.pages)
            var sender: PackageProgram?
            do {
                let receiver = try await browser.devTools.openPage("\(Self.pages)/receiver.html?room=nat")
                sender = try PackageProgram("webrtc-send", arguments: [
                    "--signal", servers.signalURL, "--host", HomeNetworks.homeAddresses[1], "--room", "nat", "--size", "320x240",
                    "--duration", "60", "--json",
                ], in: (networks.lab, networks.homes[1]))
                let stats = try await poll(every: .milliseconds(250), for: .seconds(45), "30 frames decoded in the receiver page") {
                    try await ReceiverPageStats.read(from: receiver, devTools: browser.devTools).flatMap { $0.framesDecoded >= 30 ? $0 : nil }
                }
                #expect(stats.codec == "video/VP8")
                let answer = try await browser.devTools.evaluateString("pc && pc.localDescription ? pc.localDescription.sdp : ''", in: receiver) ?? ""
                #expect(answer.contains(".local "), "Chromium hid its host address behind an mDNS name: \(Self.candidateLines(answer))")
                sender?.process.interrupt()
                _ = try await sender?.waitForExit(within: .seconds(10))
                let summary = sender?.event("summary") ?? [:]
                let types = [summary["localCandidateType"] as? String, summary["remoteCandidateType"] as? String]
                #expect(types.contains("relay"), "\(summary)")
            } catch {
                Issue.record("\(error); webrtc-send said: \(sender?.diagnostics ?? "-")")
            }
            await sender?.stop()
            await browser.stop()
            await servers.stop()
        }
    }
}
