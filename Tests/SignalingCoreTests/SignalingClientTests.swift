import SignalingCore
import Testing

/// A bound on every registration, well below the client's own default.
private let registrationLimit: Duration = .seconds(5)

/// A client on an in-memory connection to `hub`, with a bounded reader of its messages.
private func connect(to hub: SignalingHub, room: String? = nil) async -> (SignalingClient, StreamReader<SignalingMessage>) {
    let client = SignalingClient(channel: await InMemorySignalingChannel(hub: hub, room: room))
    return (client, StreamReader(client.messages))
}

@Suite("SignalingClient over an in-memory hub")
struct SignalingClientTests {
    @Test func registerReturnsTheRoom() async throws {
        let hub = SignalingHub()
        let (sender, _) = await connect(to: hub, room: "demo")
        let (receiver, _) = await connect(to: hub, room: "demo")
        #expect(try await sender.register(as: .sender, timeout: registrationLimit) == "demo")
        #expect(try await receiver.register(as: .receiver, timeout: registrationLimit) == "demo")
        await sender.close()
        await receiver.close()
    }

    @Test func registerWithoutRoomJoinsTheDefaultRoom() async throws {
        let hub = SignalingHub()
        let (client, _) = await connect(to: hub)
        #expect(try await client.register(as: .receiver, timeout: registrationLimit) == "default")
        await client.close()
    }

    @Test func registeringTheSameRoleTwiceOnOneClientIsFine() async throws {
        let hub = SignalingHub()
        let (client, _) = await connect(to: hub)
        #expect(try await client.register(as: .sender, timeout: registrationLimit) == "default")
        #expect(try await client.register(as: .sender, timeout: registrationLimit) == "default")
        await client.close()
    }

    @Test func bothSidesHearPeerJoined() async throws {
        let hub = SignalingHub()
        let (sender, senderMessages) = await connect(to: hub)
        let (receiver, receiverMessages) = await connect(to: hub)
        try await sender.register(as: .sender, timeout: registrationLimit)
        try await receiver.register(as: .receiver, timeout: registrationLimit)
        #expect(try await senderMessages.element(within: .seconds(5), "peer-joined at the sender") == .peerJoined(.receiver))
        #expect(try await receiverMessages.element(within: .seconds(5), "peer-joined at the receiver") == .peerJoined(.sender))
        await sender.close()
        await receiver.close()
    }

    @Test func fullOfferAnswerAndCandidateExchange() async throws {
        let hub = SignalingHub()
        let (sender, senderMessages) = await connect(to: hub, room: "call")
        let (receiver, receiverMessages) = await connect(to: hub, room: "call")
        try await sender.register(as: .sender, timeout: registrationLimit)
        try await receiver.register(as: .receiver, timeout: registrationLimit)
        #expect(try await senderMessages.element() == .peerJoined(.receiver))
        #expect(try await receiverMessages.element() == .peerJoined(.sender))

        let offer = SignalingMessage.createOffer(SessionDescription(type: .offer, sdp: BrowserMessages.offerSDP))
        let answer = SignalingMessage.createAnswer(SessionDescription(type: .answer, sdp: BrowserMessages.answerSDP))
        let senderCandidate = SignalingMessage.iceCandidate(
            ICECandidateInit(candidate: BrowserMessages.candidateLine, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "sXmB"))
        let receiverCandidate = SignalingMessage.iceCandidate(
            ICECandidateInit(candidate: "candidate:1 1 udp 2122260223 192.0.2.2 50000 typ host", sdpMid: "0", sdpMLineIndex: 0))

        try await sender.send(offer)
        #expect(try await receiverMessages.element(within: .seconds(5), "the offer") == offer)
        try await receiver.send(answer)
        #expect(try await senderMessages.element(within: .seconds(5), "the answer") == answer)

        try await sender.send(senderCandidate)
        try await sender.send(.iceCandidate(nil))
        try await receiver.send(receiverCandidate)
        try await receiver.send(.iceCandidate(nil))
        #expect(try await receiverMessages.element() == senderCandidate)
        #expect(try await receiverMessages.element() == .iceCandidate(nil))
        #expect(try await senderMessages.element() == receiverCandidate)
        #expect(try await senderMessages.element() == .iceCandidate(nil))

        await sender.close()
        await receiver.close()
    }

    @Test func messagesSentBeforeThePeerJoinsArriveAfterPeerJoined() async throws {
        let hub = SignalingHub()
        let (sender, _) = await connect(to: hub)
        try await sender.register(as: .sender, timeout: registrationLimit)
        let offer = SignalingMessage.createOffer(SessionDescription(type: .offer, sdp: BrowserMessages.offerSDP))
        try await sender.send(offer)
        try await sender.send(.iceCandidate(nil))

        let (receiver, receiverMessages) = await connect(to: hub)
        #expect(try await receiver.register(as: .receiver, timeout: registrationLimit) == "default")
        #expect(try await receiverMessages.element() == .peerJoined(.sender))
        #expect(try await receiverMessages.element() == offer)
        #expect(try await receiverMessages.element() == .iceCandidate(nil))
        await sender.close()
        await receiver.close()
    }

    @Test func secondSenderIsRefusedWithRoleTaken() async throws {
        let hub = SignalingHub()
        let (first, _) = await connect(to: hub)
        let (second, _) = await connect(to: hub)
        try await first.register(as: .sender, timeout: registrationLimit)
        let error = await #expect(throws: SignalingError.self) {
            try await second.register(as: .sender, timeout: registrationLimit)
        }
        #expect(error?.code == .roleTaken)
        // The refused client is still connected and may take the free role.
        #expect(try await second.register(as: .receiver, timeout: registrationLimit) == "default")
        await first.close()
        await second.close()
    }

    @Test func peerLeftArrivesWhenTheOtherClientCloses() async throws {
        let hub = SignalingHub()
        let (sender, senderMessages) = await connect(to: hub)
        let (receiver, _) = await connect(to: hub)
        try await sender.register(as: .sender, timeout: registrationLimit)
        try await receiver.register(as: .receiver, timeout: registrationLimit)
        #expect(try await senderMessages.element() == .peerJoined(.receiver))
        await receiver.close()
        #expect(try await senderMessages.element(within: .seconds(5), "peer-left") == .peerLeft(.receiver))
        #expect(await hub.connectionCount == 1)
        await sender.close()
        #expect(await hub.connectionCount == 0)
    }

    @Test func registerAfterCloseThrowsConnectionClosedAtOnce() async throws {
        let hub = SignalingHub()
        let (client, _) = await connect(to: hub)
        await client.close()
        let started = ContinuousClock.now
        let error = await #expect(throws: SignalingError.self) {
            try await client.register(as: .sender, timeout: .seconds(30))
        }
        #expect(error?.code == .connectionClosed)
        #expect(ContinuousClock.now - started < .seconds(10), "it must not wait for the registration timeout")
    }

    @Test func sendAfterCloseThrowsConnectionClosed() async throws {
        let hub = SignalingHub()
        let (client, messages) = await connect(to: hub)
        try await client.register(as: .sender, timeout: registrationLimit)
        await client.close()
        let sendError = await #expect(throws: SignalingError.self) {
            try await client.send(.iceCandidate(nil))
        }
        #expect(sendError?.code == .connectionClosed)
        let registerError = await #expect(throws: SignalingError.self) {
            try await client.register(as: .sender, timeout: registrationLimit)
        }
        #expect(registerError?.code == .connectionClosed)
        #expect(try await messages.next(within: .seconds(5), "the end of messages") == nil, "messages finishes on close")
    }

    @Test func closingTwiceIsHarmless() async throws {
        let hub = SignalingHub()
        let (client, _) = await connect(to: hub)
        try await client.register(as: .sender, timeout: registrationLimit)
        await client.close()
        await client.close()
        #expect(await hub.connectionCount == 0)
    }

    @Test func serverClosingAFloodingClientEndsItsMessagesWithAnError() async throws {
        let hub = SignalingHub(configuration: RelayConfiguration(rateLimitBurst: 1, rateLimitPerSecond: 0.001, closeAfterDroppedMessages: 2))
        let (client, messages) = await connect(to: hub)
        try await client.register(as: .sender, timeout: registrationLimit)  // spends the only token
        try await client.send(.iceCandidate(nil))
        try await client.send(.iceCandidate(nil))
        #expect(try await messages.element(within: .seconds(5), "the rate-limited error").errorCode == .rateLimited)
        let error = await #expect(throws: SignalingError.self) {
            _ = try await messages.next(within: .seconds(5), "the end of messages")
        }
        #expect(error?.code == .connectionClosed)
        let sendError = await #expect(throws: SignalingError.self) {
            try await client.send(.iceCandidate(nil))
        }
        #expect(sendError?.code == .connectionClosed)
    }

    @Test func invalidRoomIsReportedAndTheConnectionIsClosed() async throws {
        let hub = SignalingHub()
        let (client, messages) = await connect(to: hub, room: "no spaces")
        let error = await #expect(throws: SignalingError.self) {
            try await client.register(as: .sender, timeout: registrationLimit)
        }
        // The server's reason, not just "closed", reaches the caller.
        #expect(error?.code == .invalidRoom)
        await #expect(throws: SignalingError.self) {
            _ = try await messages.next(within: .seconds(5), "the end of messages")
        }
        #expect(await hub.connectionCount == 0)
    }

    @Test func serverErrorsAfterRegistrationArriveOnMessages() async throws {
        let hub = SignalingHub()
        let (sender, messages) = await connect(to: hub)
        try await sender.register(as: .sender, timeout: registrationLimit)
        try await sender.send(.createAnswer(SessionDescription(type: .answer, sdp: "v=0\r\n")))
        #expect(try await messages.element(within: .seconds(5), "the wrong-role error").errorCode == .wrongRole)
        await sender.close()
    }
}

/// A channel whose server replies before `send` returns. The in-memory hub
/// does this (it queues its reply inside `receive`, before `send` resumes),
/// and so can a fast network under a busy client.
private final class ReplyBeforeSendReturnsChannel: SignalingChannel {
    let inbound: AsyncThrowingStream<String, any Error>
    private let replies: AsyncThrowingStream<String, any Error>.Continuation

    init() {
        (inbound, replies) = AsyncThrowingStream.makeStream(of: String.self, throwing: (any Error).self)
    }

    func send(text: String) async throws {
        if case .register(let role)? = try? SignalingMessage(json: text) {
            replies.yield(SignalingMessage.registered(role: role, room: "fast").jsonText())
        }
        // The write completes a moment after the reply came in.
        try await Task.sleep(for: .milliseconds(50))
    }

    func close() async {
        replies.finish()
    }
}

/// A channel the server has already refused: every send fails at once, and
/// the server's error reaches `inbound` only a moment later, as when the
/// reader is slower than the writer.
private final class RefusedBeforeReadChannel: SignalingChannel {
    let inbound: AsyncThrowingStream<String, any Error>

    init(reason: SignalingError) {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: String.self, throwing: (any Error).self)
        inbound = stream
        Task {
            try? await Task.sleep(for: .milliseconds(100))
            continuation.yield(SignalingMessage.error(reason).jsonText())
            continuation.finish(throwing: SignalingError(.connectionClosed, "the server closed the connection"))
        }
    }

    func send(text: String) async throws {
        throw SignalingError(.connectionClosed, "the connection is closed")
    }

    func close() async {}
}

@Suite("SignalingClient registration timing")
struct SignalingClientRegistrationTimingTests {
    @Test func registerSucceedsWhenTheReplyArrivesBeforeSendReturns() async throws {
        let client = SignalingClient(channel: ReplyBeforeSendReturnsChannel())
        #expect(try await client.register(as: .sender, timeout: .seconds(2)) == "fast")
        await client.close()
    }

    @Test func registerReportsTheServersReasonWhenTheClaimCannotBeSentBecauseTheServerAlreadyClosed() async throws {
        let client = SignalingClient(channel: RefusedBeforeReadChannel(reason: SignalingError(.invalidRoom, "bad room")))
        let error = await #expect(throws: SignalingError.self) {
            try await client.register(as: .sender, timeout: .seconds(5))
        }
        #expect(error?.code == .invalidRoom)
        let again = await #expect(throws: SignalingError.self) {
            try await client.register(as: .sender, timeout: .seconds(5))
        }
        #expect(again?.code == .connectionClosed)
    }

}
