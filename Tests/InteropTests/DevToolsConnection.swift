import Foundation
import SignalingCore

/// A minimal Chrome DevTools Protocol client: commands over one browser-level
/// WebSocket, with flattened sessions for the pages it opens.
actor DevToolsConnection {
    struct ProtocolError: Error, CustomStringConvertible {
        var description: String
    }

    private let channel: any SignalingChannel
    private var replies: AsyncThrowingStream<String, any Error>.AsyncIterator
    private var nextID = 1

    init(url: String) async throws {
        channel = try await WebSocketSignalingChannel.connect(url: url, maxMessageBytes: 16 << 20)
        replies = channel.inbound.makeAsyncIterator()
    }

    /// A connection over another channel (Chromium's DevTools pipe).
    init(channel: any SignalingChannel) {
        self.channel = channel
        replies = channel.inbound.makeAsyncIterator()
    }

    /// Sends one command and returns its `result` object as JSON data.
    /// Events that arrive in between are skipped.
    func command(_ method: String, _ params: [String: any Sendable] = [:], session: String? = nil) async throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        let data = try JSONSerialization.data(withJSONObject: message)
        try await channel.send(text: String(decoding: data, as: UTF8.self))
        while true {
            var iterator = replies
            guard let text = try await iterator.next(isolation: self) else {
                throw ProtocolError(description: "DevTools connection closed while waiting for \(method)")
            }
            replies = iterator
            guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                object["id"] as? Int == id
            else { continue }
            if let error = object["error"] as? [String: Any] {
                throw ProtocolError(description: "\(method) failed: \(error)")
            }
            return object["result"] as? [String: Any] ?? [:]
        }
    }

    /// The browser's product name and version (`Browser.getVersion`).
    func browserVersion() async throws -> String {
        try await command("Browser.getVersion")["product"] as? String ?? "?"
    }

    /// Opens a new tab on `url` and returns the session that drives it.
    func openPage(_ url: String) async throws -> String {
        let target = try await command("Target.createTarget", ["url": url])
        guard let targetID = target["targetId"] as? String else { throw ProtocolError(description: "no targetId for \(url)") }
        let attached = try await command("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        guard let session = attached["sessionId"] as? String else { throw ProtocolError(description: "no sessionId for \(url)") }
        return session
    }

    /// Evaluates a JavaScript expression in a page (awaiting a promise) and
    /// returns its value when it is a string.
    func evaluateString(_ expression: String, in session: String) async throws -> String? {
        let result = try await command(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true], session: session)
        if let exception = result["exceptionDetails"] {
            throw ProtocolError(description: "page threw evaluating \(expression): \(exception)")
        }
        return (result["result"] as? [String: Any])?["value"] as? String
    }

    /// Closes the browser and the connection.
    func closeBrowser() async {
        _ = try? await command("Browser.close")
        await channel.close()
    }
}
