import Foundation
import TestSupport
import Testing

/// The seed's whole system in a real browser: the Swift signal-server serves
/// sender.html and receiver.html, headless Chromium opens both, and video
/// flows from the sender tab to the receiver tab.
@Suite("Browser to browser through signal-server", .serialized)
struct BrowserToBrowserStreamingTests {
    /// The frame count a user would call "it streams".
    static let framesWanted = 60

    enum StartOrder: String, CaseIterable, Sendable {
        case receiverFirst, senderFirst
    }

    @Test("the receiver page decodes live video from the sender page", arguments: StartOrder.allCases)
    func receiverDecodesVideo(order: StartOrder) async throws {
        if await LoopbackOnlyNetwork.runIsolated("BrowserToBrowserStreamingTests/\(#function)") { return }
        let server = try await RunningSignalingServer.start()
        let browser = try await HeadlessChromium.launch()
        let devTools = try await DevToolsConnection(url: browser.devToolsURL)
        do {
            let room = "interop-\(order.rawValue)"
            let senderURL = "\(server.httpBase)/sender.html?room=\(room)"
            let receiverURL = "\(server.httpBase)/receiver.html?room=\(room)"

            let receiver: String
            let sender: String
            switch order {
            case .receiverFirst:
                receiver = try await devTools.openPage(receiverURL)
                sender = try await devTools.openPage(senderURL)
                try await clickSendVideo(in: sender, devTools: devTools)
            case .senderFirst:
                // The offer and candidates wait in the server until the receiver joins.
                sender = try await devTools.openPage(senderURL)
                try await clickSendVideo(in: sender, devTools: devTools)
                try await Task.sleep(for: .seconds(1))
                receiver = try await devTools.openPage(receiverURL)
            }

            let stats = try await waitForDecodedFrames(in: receiver, devTools: devTools, sender: sender)
            #expect(stats.framesDecoded >= Self.framesWanted)
            #expect(stats.width > 0 && stats.height > 0, "the decoded video has a size")
            #expect(stats.codec.hasPrefix("video/"), "getStats names the codec")
        } catch {
            Issue.record(error)
        }
        await devTools.closeBrowser()
        await browser.stop()
        await server.stop()
    }

    private func clickSendVideo(in sender: String, devTools: DevToolsConnection) async throws {
        // The button is enabled once the page's WebSocket is open.
        _ = try await poll(for: .seconds(15), "the sender page to connect to the signalling server") {
            try await devTools.evaluateString(
                "document.getElementById('start') && !document.getElementById('start').disabled ? 'ready' : ''",
                in: sender) == "ready" ? true : nil
        }
        _ = try await devTools.evaluateString("document.getElementById('start').click(), 'clicked'", in: sender)
    }

    private func waitForDecodedFrames(in receiver: String, devTools: DevToolsConnection, sender: String) async throws -> ReceiverPageStats {
        do {
            return try await poll(every: .milliseconds(500), for: .seconds(60), "\(Self.framesWanted) decoded frames in the receiver page") {
                try await ReceiverPageStats.read(from: receiver, devTools: devTools).flatMap {
                    $0.framesDecoded >= Self.framesWanted ? $0 : nil
                }
            }
        } catch {
            // Say what each page saw, so a failure explains itself.
            let receiverLog = (try? await devTools.evaluateString("JSON.stringify({log: window.statusLog, stats: window.receiverStats})", in: receiver)) ?? "?"
            let senderLog = (try? await devTools.evaluateString("JSON.stringify(window.statusLog)", in: sender)) ?? "?"
            throw DeadlineExceeded(what: "\(error); receiver page: \(receiverLog); sender page: \(senderLog)")
        }
    }
}
