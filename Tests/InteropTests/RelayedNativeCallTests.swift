import Foundation
import SignalingCore
import SignalingServer
import Testing
import TestSupport

/// The example programs through a real coturn, with the TURN credentials the
/// signalling server hands out (coturn's use-auth-secret), as a deployment runs them.
@Suite("Native peers through a TURN relay")
struct RelayedNativeCallTests {
    @Test("with --relay-only and TURN credentials from signal-server, webrtc-send and webrtc-recv stream through coturn, and both summaries name relay candidates over UDP")
    func relayOnlyThroughHandedOutCredentials() async throws {
        let secret = "deployment-\(UUID().uuidString)"
        let coturn = try Coturn(authSecret: secret)
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        let server = try await RunningSignalingServer.start(SignalingServerConfiguration(
            iceServers: .init(turn: ["turn:127.0.0.1:\(coturn.port)"], turnSecret: secret)))
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("relayed-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        let signal = "ws://127.0.0.1:\(server.port)/"
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", signal, "--room", "relayed", "--frames", "30", "--timeout", "30", "--output", output.path,
            "--relay-only", "--json",
        ])
        let sender = try PackageProgram("webrtc-send", arguments: [
            "--signal", signal, "--room", "relayed", "--size", "320x240", "--duration", "30", "--relay-only", "--json",
        ])
        let status = try await receiver.waitForExit(within: .seconds(40))
        #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics); webrtc-send said: \(sender.diagnostics)")
        let summary = receiver.event("summary")
        #expect(summary?["framesDecoded"] as? Int ?? 0 >= 30)
        #expect(summary?["localCandidateType"] as? String == "relay", "\(summary ?? [:])")
        #expect(summary?["remoteCandidateType"] as? String == "relay", "\(summary ?? [:])")
        #expect(summary?["relayProtocol"] as? String == "udp")
        #expect(try await sender.waitForExit(within: .seconds(10)) == 0, "webrtc-send said: \(sender.diagnostics)")
        let sent = sender.event("summary")
        #expect(sent?["localCandidateType"] as? String == "relay", "\(sent ?? [:])")
        // Nothing in the programs' output carries the secret.
        #expect(!receiver.output.contains(secret) && !sender.output.contains(secret))
        await sender.stop()
        await receiver.stop()
        await server.stop()
    }

    @Test("the sender page in Chromium with ?policy=relay uses the TURN server signal-server hands out, and streams through coturn to webrtc-recv --relay-only")
    func browserThroughHandedOutRelay() async throws {
        if await LoopbackOnlyNetwork.runIsolated("RelayedNativeCallTests/\(#function)") { return }
        let secret = "deployment-\(UUID().uuidString)"
        let coturn = try Coturn(authSecret: secret)
        defer { coturn.stop() }
        try await coturn.waitUntilReady()
        let server = try await RunningSignalingServer.start(SignalingServerConfiguration(
            iceServers: .init(turn: ["turn:127.0.0.1:\(coturn.port)"], turnSecret: secret)))
        let output = NativePeerInteropTests.outputDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", "ws://127.0.0.1:\(server.port)/", "--room", "browser-relayed", "--frames", "30", "--timeout", "45",
            "--output", output.path, "--relay-only", "--json",
        ])
        let browser = try await HeadlessChromium.launch()
        let devTools = try await DevToolsConnection(url: browser.devToolsURL)
        do {
            let sender = try await devTools.openPage("\(server.httpBase)/sender.html?room=browser-relayed&policy=relay")
            try await NativePeerInteropTests.pressSend(on: sender, devTools: devTools)
            let status = try await receiver.waitForExit(within: .seconds(55))
            #expect(status == 0, "webrtc-recv said: \(receiver.diagnostics)")
            let summary = receiver.event("summary")
            #expect(summary?["framesDecoded"] as? Int ?? 0 >= 30)
            #expect(summary?["localCandidateType"] as? String == "relay", "\(summary ?? [:])")
            #expect(summary?["remoteCandidateType"] as? String == "relay", "the page used the handed-out TURN server: \(summary ?? [:])")
            let servers = try await devTools.evaluateString("JSON.stringify(window.handedOutIceServers)", in: sender) ?? ""
            #expect(servers.contains("turn:127.0.0.1:\(coturn.port)") && !servers.contains(secret), "\(servers)")
        } catch {
            Issue.record("\(error); webrtc-recv said: \(receiver.diagnostics)")
        }
        await receiver.stop()
        await NativePeerInteropTests.stop(devTools, browser, server)
    }

    @Test("--relay-only without any TURN server is refused with a message")
    func relayOnlyNeedsTURN() async throws {
        let server = try await RunningSignalingServer.start()
        let receiver = try PackageProgram("webrtc-recv", arguments: [
            "--signal", "ws://127.0.0.1:\(server.port)/", "--relay-only", "--timeout", "10",
        ])
        #expect(try await receiver.waitForExit(within: .seconds(20)) != 0)
        #expect(receiver.diagnostics.contains("--relay-only needs a TURN server"), "\(receiver.diagnostics)")
        await server.stop()
    }
}
