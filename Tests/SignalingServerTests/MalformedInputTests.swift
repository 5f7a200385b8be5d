import Logging
import Synchronization
import NIOCore
import SignalingCore
import Testing
import TestSupport
import WSClient

/// Bad input over a real WebSocket gets a clear `{"type":"error",...}` reply.
@Suite("Malformed input over WebSocket")
struct MalformedInputTests {
    /// Sends `text` on a fresh connection and returns the error code of the reply.
    private func errorCode(replyingTo text: String, server: RunningSignalingServer) async throws -> SignalingError.Code? {
        let channel = try await WebSocketSignalingChannel.connect(url: server.webSocketURL)
        defer { Task { await channel.close() } }
        try await channel.send(text: text)
        let inbound = channel.inbound
        let reply = try await withDeadline(.seconds(5), "an error reply") {
            var iterator = inbound.makeAsyncIterator()
            return try await iterator.next()
        }
        guard let reply, case .error(let error) = try SignalingMessage(json: reply) else { return nil }
        return error.code
    }

    @Test(
        "each kind of bad message gets its error code",
        arguments: [
            ("{", SignalingError.Code.malformedJSON),
            ("", .malformedJSON),
            ("[1,2]", .invalidMessage),
            (#"{"kind":"sender"}"#, .invalidMessage),
            (#"{"type":42}"#, .invalidMessage),
            (#"{"type":"dance"}"#, .unknownType),
            (#"{"type":"createOffer"}"#, .invalidMessage),
            (#"{"type":"createOffer","sdp":{"type":"offer","sdp":"v=0"}}"#, .notRegistered),
            (#"{"type":"error","code":"x"}"#, .invalidMessage),
        ])
    func badMessage(text: String, expected: SignalingError.Code) async throws {
        let server = try await RunningSignalingServer.start()
        #expect(try await errorCode(replyingTo: text, server: server) == expected)
        await server.stop()
    }

    @Test("a message over 64 KiB gets message-too-large and is not relayed")
    func oversizedMessage() async throws {
        let server = try await RunningSignalingServer.start()
        let sender = try await SignalingClient.connect(to: server.webSocketURL)
        let receiver = try await SignalingClient.connect(to: server.webSocketURL)
        try await sender.register(as: .sender)
        try await receiver.register(as: .receiver)
        _ = try await sender.nextMessage()  // peer-joined
        _ = try await receiver.nextMessage()  // peer-joined

        let huge = SessionDescription(type: .offer, sdp: String(repeating: "a=x\r\n", count: 14_000))
        try await sender.send(.createOffer(huge))
        guard case .error(let error) = try await sender.nextMessage() else {
            Issue.record("no error reply")
            return
        }
        #expect(error.code == .messageTooLarge)
        // The receiver got nothing from it: the next thing it sees is the small offer.
        let small = SessionDescription(type: .offer, sdp: "v=0\r\n")
        try await sender.send(.createOffer(small))
        #expect(try await receiver.nextMessage() == .createOffer(small))
        await sender.close()
        await receiver.close()
        await server.stop()
    }

    @Test("a binary frame gets binary-not-supported")
    func binaryFrame() async throws {
        let server = try await RunningSignalingServer.start()
        let reply = try await withDeadline(.seconds(10), "a reply to a binary frame") {
            let reply = Mutex<String?>(nil)
            try await WebSocketClient.connect(url: server.webSocketURL, logger: Logger(label: "test")) { inbound, outbound, _ in
                try await outbound.write(.binary(ByteBuffer(bytes: [0x80, 0x01, 0x02])))
                for try await message in inbound.messages(maxSize: 1 << 16) {
                    if case .text(let text) = message {
                        reply.withLock { $0 = text }
                        break
                    }
                }
            }
            return reply.withLock { $0 }
        }
        let message = try SignalingMessage(json: try #require(reply))
        guard case .error(let error) = message else {
            Issue.record("expected an error, got \(message)")
            return
        }
        #expect(error.code == .binaryNotSupported)
        await server.stop()
    }

    @Test("a flood is rate limited, then the connection is closed, and other rooms carry on")
    func flood() async throws {
        let server = try await RunningSignalingServer.start()
        let quiet = try await SignalingClient.connect(to: server.webSocketURL, room: "quiet")
        try await quiet.register(as: .sender)

        let flooder = try await WebSocketSignalingChannel.connect(url: server.webSocketURL + "?room=loud")
        let inbound = flooder.inbound
        let configuration = RelayConfiguration()
        let total = configuration.rateLimitBurst + configuration.closeAfterDroppedMessages + 50
        for _ in 0..<total {
            do {
                try await flooder.send(text: #"{"type":"sender"}"#)
            } catch {
                break  // closed by the server, as it should be
            }
        }
        let codes = try await withDeadline(.seconds(10), "the flooder's connection to close") {
            var codes: [SignalingError.Code] = []
            do {
                for try await text in inbound {
                    if case .error(let error) = try SignalingMessage(json: text) { codes.append(error.code) }
                }
            } catch {}
            return codes
        }
        // Errors are not echoed per dropped message: one per run of drops.
        #expect(!codes.isEmpty && codes.allSatisfy { $0 == .rateLimited })
        #expect(codes.count < 10, "\(codes.count) error replies to \(total) messages")

        // The other room is unaffected.
        let receiver = try await SignalingClient.connect(to: server.webSocketURL, room: "quiet")
        try await receiver.register(as: .receiver)
        #expect(try await quiet.nextMessage() == .peerJoined(.receiver))
        await flooder.close()
        await quiet.close()
        await receiver.close()
        await server.stop()
    }
}
