import Foundation
import Testing
import TestSupport

extension NetworkNamespaceTests {
    /// Chromium and the Swift peer over a link that loses packets: everything
    /// runs inside a network namespace of the test's own, on its one address
    /// (a veth end, since Chromium gathers no loopback candidates, and this
    /// kernel has no dummy interfaces), where an nftables rule drops a share
    /// of all UDP at random (`numgen random`; this kernel has no netem).
    /// Signalling is TCP and loses nothing.
    @Suite("Chromium and the Swift peer over a lossy link (nftables numgen random)", .serialized)
    struct LossyLinkInteropTests {
        static let port = 8090
        static let address = "10.77.0.1"
        static var pages: String { "http://\(address):\(port)" }
        static let seconds = 15

        /// A namespace with `signal-server` and Chromium in it.
        struct Setup {
            let lab: NetworkLab
            let namespace: String
            let signal: PackageProgram
            let browser: NamespacedChromium

            static func start() async throws -> Setup {
                let lab = try NetworkLab()
                do {
                    let namespace = try await lab.addNamespace("lossy")
                    let other = try await lab.addNamespace("other")
                    try await lab.link(namespace, "lossy0", "\(address)/24", to: other, "other0", nil)
                    let signal = try PackageProgram(
                        "signal-server", arguments: ["--host", address, "--port", "\(port)", "--log-level", "warning"],
                        in: (lab, namespace))
                    _ = try await poll(every: .milliseconds(50), for: .seconds(20), "signal-server to listen") {
                        signal.output.contains("listening on") ? true : nil
                    }
                    let browser = try await NamespacedChromium.launch(in: lab, namespace: namespace, secureOrigin: pages)
                    return Setup(lab: lab, namespace: namespace, signal: signal, browser: browser)
                } catch {
                    lab.tearDown()
                    throw error
                }
            }

            /// Drops `percent` % of the UDP datagrams in the namespace as they
            /// arrive (each is sent once, to its own address, so it passes the
            /// input hook once; a drop on output would instead fail the
            /// sender's `sendto` with EPERM, which no real network does).
            func setLoss(percent: Int) async throws {
                try await lab.nft(namespace, """
                    table inet loss
                    delete table inet loss
                    table inet loss {
                        chain arriving {
                            type filter hook input priority 0; policy accept;
                            meta l4proto udp numgen random mod 100 < \(percent) counter drop
                        }
                    }
                    """)
            }

            /// The datagrams the loss rule dropped so far.
            func droppedDatagrams() async throws -> Int {
                let listing = try await lab.exec(namespace, [NetworkLab.nftPath!, "list", "chain", "inet", "loss", "arriving"])
                guard let range = listing.range(of: "counter packets ") else { return 0 }
                return Int(listing[range.upperBound...].prefix { $0.isNumber }) ?? 0
            }

            func stop() async {
                await browser.stop()
                await signal.stop()
                lab.tearDown()
            }
        }

        /// The sender page streams a canvas to webrtc-recv for `seconds`; returns
        /// webrtc-recv's summary.
        static func browserToNative(_ setup: Setup, room: String) async throws -> [String: Any] {
            let output = NativePeerInteropTests.outputDirectory()
            defer { try? FileManager.default.removeItem(at: output) }
            let receiver = try PackageProgram("webrtc-recv", arguments: [
                "--signal", "ws://\(address):\(port)/", "--host", address, "--room", room, "--frames", "0", "--timeout", "\(seconds)",
                "--output", output.path, "--json",
            ], in: (setup.lab, setup.namespace))
            do {
                let sender = try await setup.browser.devTools.openPage("\(pages)/sender.html?room=\(room)&media=canvas")
                try await NativePeerInteropTests.pressSend(on: sender, devTools: setup.browser.devTools)
                let status = try await receiver.waitForExit(within: .seconds(seconds + 20))
                #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics)")
                _ = try? await setup.browser.devTools.evaluateString("pc && pc.close(), 'closed'", in: sender)
            } catch {
                Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics)")
            }
            await receiver.stop()
            return receiver.event("summary") ?? [:]
        }

        /// Frames decoded per second of streaming (from the first frame to the end).
        static func frameRate(_ summary: [String: Any]) -> Double {
            let frames = Double(summary["framesDecoded"] as? Int ?? 0)
            let first = Double(summary["firstFrameAfterMs"] as? Int ?? 0) / 1000
            return frames / max(Double(seconds) - first, 1)
        }

        @Test("the sender page in Chromium streams to webrtc-recv at 5% random UDP loss for 15 s: at least 95% of the frame rate of the same run without loss, with NACKs sent, retransmissions received on RTX and lost packets recovered")
        func chromiumSendsOverLoss() async throws {
            let setup = try await Setup.start()
            do {
                let clean = try await Self.browserToNative(setup, room: "clean")
                try await setup.setLoss(percent: 5)
                let lossy = try await Self.browserToNative(setup, room: "lossy")
                let dropped = try await setup.droppedDatagrams()
                let cleanRate = Self.frameRate(clean)
                let lossyRate = Self.frameRate(lossy)
                #expect(cleanRate >= 20, "without loss: \(clean)")
                #expect(lossyRate >= cleanRate * 0.95, "\(lossyRate) frames/s at 5% loss against \(cleanRate) without: \(lossy)")
                #expect(dropped * 100 >= (lossy["packetsReceived"] as? Int ?? 0) * 2, "the rule dropped \(dropped) datagrams")
                #expect(lossy["nacksSent"] as? Int ?? 0 > 0, "\(lossy)")
                #expect(lossy["packetsRecovered"] as? Int ?? 0 > 0, "\(lossy)")
                #expect(lossy["retransmittedPacketsReceived"] as? Int ?? 0 > 0, "Chromium retransmitted on RTX: \(lossy)")
                print("measured: Chromium sender page -> webrtc-recv, \(Self.seconds) s: \(cleanRate) frames/s clean, \(lossyRate) at 5% loss (\(dropped) datagrams dropped); lossy run: \(lossy)")
            } catch {
                Issue.record("\(error)")
            }
            await setup.stop()
        }

        @Test("webrtc-send streams to the receiver page in Chromium at 5% random UDP loss: the page decodes at least 95% of the frames it decodes without loss, it NACKs and gets packets again, and freezes for under 1 s in all")
        func chromiumReceivesOverLoss() async throws {
            let setup = try await Setup.start()
            do {
                let clean = try await Self.nativeToBrowser(setup, room: "clean")
                try await setup.setLoss(percent: 5)
                let lossy = try await Self.nativeToBrowser(setup, room: "lossy")
                #expect(clean.framesDecoded >= 20 * Self.seconds / 2, "without loss: \(clean)")
                #expect(Double(lossy.framesDecoded) >= Double(clean.framesDecoded) * 0.95, "at 5% loss: \(lossy); without: \(clean)")
                #expect(lossy.nackCount ?? 0 > 0, "\(lossy)")
                #expect(lossy.retransmittedPacketsReceived ?? 0 > 0, "\(lossy)")
                #expect(lossy.totalFreezesDuration ?? 0 < 1, "\(lossy)")
                print("measured: webrtc-send -> Chromium receiver page, \(Self.seconds) s: clean \(clean), at 5% loss \(lossy)")
            } catch {
                Issue.record("\(error)")
            }
            await setup.stop()
        }

        /// webrtc-send streams to the receiver page for `seconds` after the
        /// first decoded frame; returns the page's statistics then.
        static func nativeToBrowser(_ setup: Setup, room: String) async throws -> ReceiverPageStats {
            let devTools = setup.browser.devTools
            let receiver = try await devTools.openPage("\(pages)/receiver.html?room=\(room)")
            let sender = try PackageProgram("webrtc-send", arguments: [
                "--signal", "ws://\(address):\(port)/", "--host", address, "--room", room, "--size", "320x240", "--duration", "\(seconds + 30)", "--json",
            ], in: (setup.lab, setup.namespace))
            do {
                _ = try await poll(every: .milliseconds(100), for: .seconds(30), "the first frame decoded in the receiver page") {
                    try await ReceiverPageStats.read(from: receiver, devTools: devTools).flatMap { $0.framesDecoded > 0 ? $0 : nil }
                }
                try await Task.sleep(for: .seconds(seconds))
                let stats = try await poll(for: .seconds(5), "the receiver page's statistics") {
                    try await ReceiverPageStats.read(from: receiver, devTools: devTools)
                }
                _ = try? await devTools.evaluateString("pc && pc.close(), 'closed'", in: receiver)
                let targets = sender.events.filter { $0["event"] as? String == "stats" }
                    .map { "\(($0["targetBitrate"] as? Int ?? 0) / 1000)/\(($0["videoBitrate"] as? Int ?? 0) / 1000)" }
                print("measured: webrtc-send's estimate/video bitrate (kbit/s) per second in room \(room): \(targets)")
                await sender.stop()
                return stats
            } catch {
                let diagnostics = sender.diagnostics
                await sender.stop()
                throw NetworkLab.Failure(description: "\(error); webrtc-send said: \(diagnostics)")
            }
        }
    }
}
