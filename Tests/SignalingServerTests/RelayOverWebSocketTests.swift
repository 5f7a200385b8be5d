import NIOCore
import SignalingCore
import Testing
import TestSupport
import WSClient
import Logging

/// The real server on 127.0.0.1 with real WebSocket clients.
@Suite("Relay over WebSocket")
struct RelayOverWebSocketTests {
    static let offer = SessionDescription(type: .offer, sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
    static let answer = SessionDescription(type: .answer, sdp: "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n")
    static let candidate = ICECandidateInit(
        candidate: "candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0", sdpMid: "0", sdpMLineIndex: 0,
        usernameFragment: "abcd")

    @Test("a full offer, answer and candidate exchange")
    func fullExchange() async throws {
        let server = try await RunningSignalingServer.start()
        let sender = try await SignalingClient.connect(to: server.webSocketURL, room: "exchange")
        let receiver = try await SignalingClient.connect(to: server.webSocketURL, room: "exchange")
        #expect(try await sender.register(as: .sender) == "exchange")
        #expect(try await receiver.register(as: .receiver) == "exchange")
        #expect(try await sender.nextMessage() == .peerJoined(.receiver))
        #expect(try await receiver.nextMessage() == .peerJoined(.sender))

        try await sender.send(.createOffer(Self.offer))
        #expect(try await receiver.nextMessage() == .createOffer(Self.offer))
        try await receiver.send(.createAnswer(Self.answer))
        #expect(try await sender.nextMessage() == .createAnswer(Self.answer))
        try await sender.send(.iceCandidate(Self.candidate))
        #expect(try await receiver.nextMessage() == .iceCandidate(Self.candidate))
        try await receiver.send(.iceCandidate(nil))
        #expect(try await sender.nextMessage() == .iceCandidate(nil))

        await sender.close()
        await receiver.close()
        await server.stop()
    }

    @Test("a message written the seed's way is relayed byte for byte")
    func byteForByteRelay() async throws {
        let server = try await RunningSignalingServer.start()
        // The bare URL of the seed: no room, no path.
        let url = "ws://127.0.0.1:\(server.port)"
        let sender = try await WebSocketSignalingChannel.connect(url: url)
        let receiver = try await WebSocketSignalingChannel.connect(url: url)
        var senderInbound = sender.inbound.makeAsyncIterator()
        var receiverInbound = receiver.inbound.makeAsyncIterator()
        try await sender.send(text: #"{"type":"sender"}"#)
        _ = try await senderInbound.next()  // registered
        try await receiver.send(text: #"{"type":"receiver"}"#)
        _ = try await receiverInbound.next()  // registered
        _ = try await receiverInbound.next()  // peer-joined

        let original = #"{ "type": "createOffer", "sdp": {"type":"offer","sdp":"v=0\r\n"}, "extra": [1, 2.50, "\u00e9"] }"#
        try await sender.send(text: original)
        #expect(try await receiverInbound.next() == original)

        await sender.close()
        await receiver.close()
        await server.stop()
    }

    @Test("a second sender in a room gets role-taken and the first keeps the call")
    func roleTaken() async throws {
        let server = try await RunningSignalingServer.start()
        let first = try await SignalingClient.connect(to: server.webSocketURL, room: "taken")
        let second = try await SignalingClient.connect(to: server.webSocketURL, room: "taken")
        let receiver = try await SignalingClient.connect(to: server.webSocketURL, room: "taken")
        try await first.register(as: .sender)
        do {
            try await second.register(as: .sender)
            Issue.record("a second sender was accepted")
        } catch let error as SignalingError {
            #expect(error.code == .roleTaken)
        }
        try await receiver.register(as: .receiver)
        try await first.send(.createOffer(Self.offer))
        #expect(try await receiver.nextMessage(where: { $0 != .peerJoined(.sender) }) == .createOffer(Self.offer))

        await first.close()
        await second.close()
        await receiver.close()
        await server.stop()
    }

    @Test("messages sent before the receiver joins are delivered when it joins")
    func heldMessages() async throws {
        let server = try await RunningSignalingServer.start()
        let sender = try await SignalingClient.connect(to: server.webSocketURL, room: "held")
        try await sender.register(as: .sender)
        try await sender.send(.createOffer(Self.offer))
        try await sender.send(.iceCandidate(Self.candidate))

        let receiver = try await SignalingClient.connect(to: server.webSocketURL, room: "held")
        try await receiver.register(as: .receiver)
        #expect(try await receiver.nextMessage() == .peerJoined(.sender))
        #expect(try await receiver.nextMessage() == .createOffer(Self.offer))
        #expect(try await receiver.nextMessage() == .iceCandidate(Self.candidate))

        await sender.close()
        await receiver.close()
        await server.stop()
    }

    @Test("the remaining peer hears peer-left, and a new peer can take the seat")
    func peerLeft() async throws {
        let server = try await RunningSignalingServer.start()
        let sender = try await SignalingClient.connect(to: server.webSocketURL, room: "left")
        let receiver = try await SignalingClient.connect(to: server.webSocketURL, room: "left")
        try await sender.register(as: .sender)
        try await receiver.register(as: .receiver)
        await receiver.close()
        #expect(try await sender.nextMessage(where: { $0 != .peerJoined(.receiver) }) == .peerLeft(.receiver))

        let newReceiver = try await SignalingClient.connect(to: server.webSocketURL, room: "left")
        try await newReceiver.register(as: .receiver)
        #expect(try await sender.nextMessage() == .peerJoined(.receiver))

        await sender.close()
        await newReceiver.close()
        await server.stop()
    }

    @Test("two rooms side by side never see each other's messages")
    func roomsAreSeparate() async throws {
        let server = try await RunningSignalingServer.start()
        var calls: [(SignalingClient, SignalingClient)] = []
        for room in ["red", "blue"] {
            let sender = try await SignalingClient.connect(to: server.webSocketURL, room: room)
            let receiver = try await SignalingClient.connect(to: server.webSocketURL, room: room)
            try await sender.register(as: .sender)
            try await receiver.register(as: .receiver)
            _ = try await receiver.nextMessage()  // peer-joined
            calls.append((sender, receiver))
        }
        let red = SessionDescription(type: .offer, sdp: "v=0\r\ns=red\r\n")
        let blue = SessionDescription(type: .offer, sdp: "v=0\r\ns=blue\r\n")
        try await calls[0].0.send(.createOffer(red))
        try await calls[1].0.send(.createOffer(blue))
        #expect(try await calls[0].1.nextMessage() == .createOffer(red))
        #expect(try await calls[1].1.nextMessage() == .createOffer(blue))

        // Garbage in one room gets an error there and leaves the other room working.
        let redRaw = try await WebSocketSignalingChannel.connect(url: server.webSocketURL + "?room=red")
        try await redRaw.send(text: "{not json")
        var redRawInbound = redRaw.inbound.makeAsyncIterator()
        let reply = try #require(try await redRawInbound.next())
        #expect(try SignalingMessage(json: reply) == .error(SignalingError(.malformedJSON, "the message is not valid JSON")))
        try await calls[1].1.send(.createAnswer(Self.answer))
        #expect(try await calls[1].0.nextMessage(where: { $0 != .peerJoined(.receiver) }) == .createAnswer(Self.answer))

        await redRaw.close()
        for (sender, receiver) in calls {
            await sender.close()
            await receiver.close()
        }
        await server.stop()
    }
}
