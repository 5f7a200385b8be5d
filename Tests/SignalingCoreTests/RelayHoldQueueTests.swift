import SignalingCore
import Testing

private let sender = ConnectionID(1)
private let receiver = ConnectionID(2)
private let other = ConnectionID(3)

@Suite("RelayStateMachine: messages held for a peer that has not joined")
struct RelayHoldQueueTests {
    @Test func senderMessagesAreHeldAndDeliveredInOrderWhenTheReceiverJoins() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(sender, as: .sender, at: t0)
        #expect(relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0.advanced(by: .milliseconds(10))).isEmpty)
        #expect(relay.textReceived(BrowserMessages.iceCandidate(1), from: sender, at: t0.advanced(by: .milliseconds(20))).isEmpty)
        #expect(relay.textReceived(BrowserMessages.iceCandidate(2), from: sender, at: t0.advanced(by: .milliseconds(30))).isEmpty)
        #expect(relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: t0.advanced(by: .milliseconds(40))).isEmpty)

        let joined = relay.join(receiver, as: .receiver, at: t0.advanced(by: .milliseconds(50)))
        let texts = joined.texts(to: receiver)
        try #require(texts.count == 6)
        #expect(try SignalingMessage(json: texts[0]) == .registered(role: .receiver, room: "default"))
        #expect(try SignalingMessage(json: texts[1]) == .peerJoined(.sender))
        #expect(
            Array(texts[2...])
                == [BrowserMessages.createOffer, BrowserMessages.iceCandidate(1), BrowserMessages.iceCandidate(2), BrowserMessages.endOfCandidates])
        #expect(try joined.messages(to: sender) == [.peerJoined(.receiver)])
    }

    @Test func receiverMessagesAreHeldAndDeliveredWhenTheSenderJoins() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(receiver, as: .receiver, at: t0)
        #expect(relay.textReceived(BrowserMessages.iceCandidate(7), from: receiver, at: t0).isEmpty)
        #expect(relay.textReceived(BrowserMessages.createAnswer, from: receiver, at: t0).isEmpty)

        let joined = relay.join(sender, as: .sender, at: t0.advanced(by: .milliseconds(5)))
        let texts = joined.texts(to: sender)
        try #require(texts.count == 4)
        #expect(try SignalingMessage(json: texts[0]) == .registered(role: .sender, room: "default"))
        #expect(try SignalingMessage(json: texts[1]) == .peerJoined(.receiver))
        #expect(Array(texts[2...]) == [BrowserMessages.iceCandidate(7), BrowserMessages.createAnswer])
        #expect(try joined.messages(to: receiver) == [.peerJoined(.sender)])
    }

    @Test func heldMessagesAreDeliveredOnlyOnce() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(sender, as: .sender, at: t0)
        _ = relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0)
        let first = relay.join(receiver, as: .receiver, at: t0)
        #expect(first.texts(to: receiver).contains(BrowserMessages.createOffer))

        // The receiver leaves and another one comes: the offer was used up.
        _ = relay.connectionClosed(receiver)
        let second = relay.join(other, as: .receiver, at: t0)
        #expect(try second.messages(to: other) == [.registered(role: .receiver, room: "default"), .peerJoined(.sender)])
    }

    @Test func connectedButUnregisteredPeerDoesNotGetHeldMessagesUntilItRegisters() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: nil, at: t0)
        #expect(relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0).isEmpty)
        let registered = relay.textReceived(BrowserMessages.receiver, from: receiver, at: t0)
        #expect(registered.texts(to: receiver).last == BrowserMessages.createOffer)
    }

    @Test func heldMessagesAreDroppedWhenTheirAuthorLeavesFirst() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: nil, at: t0)  // keeps the room alive
        _ = relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0)
        _ = relay.textReceived(BrowserMessages.iceCandidate(1), from: sender, at: t0)
        #expect(relay.connectionClosed(sender).isEmpty)

        // A new sender holds a fresh offer; only that one reaches the receiver.
        relay.join(other, as: .sender, at: t0)
        let newOffer = #"{"type":"createOffer","sdp":"v=0\r\no=new\r\n"}"#
        _ = relay.textReceived(newOffer, from: other, at: t0)
        let joined = relay.textReceived(BrowserMessages.receiver, from: receiver, at: t0)
        let texts = joined.texts(to: receiver)
        try #require(texts.count == 3)
        #expect(try SignalingMessage(json: texts[0]) == .registered(role: .receiver, room: "default"))
        #expect(try SignalingMessage(json: texts[1]) == .peerJoined(.sender))
        #expect(texts[2] == newOffer)
    }

    @Test func heldMessagesOfADepartedAuthorAreGoneEvenWhenTheRoomEmpties() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(sender, as: .sender, room: "r", at: t0)
        _ = relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0)
        _ = relay.connectionClosed(sender)
        #expect(relay.roomCount == 0)
        let joined = relay.join(receiver, as: .receiver, room: "r", at: t0)
        #expect(try joined.messages(to: receiver) == [.registered(role: .receiver, room: "r")])
    }

    @Test func holdQueueIsBoundedByCount() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(maxHeldMessages: 3))
        relay.join(sender, as: .sender, at: t0)
        for number in 1...3 {
            #expect(relay.textReceived(BrowserMessages.iceCandidate(number), from: sender, at: t0).isEmpty)
        }
        let overflow = relay.textReceived(BrowserMessages.iceCandidate(4), from: sender, at: t0)
        #expect(try overflow.errorCodes(to: sender) == [.holdQueueFull])
        let overflowAgain = relay.textReceived(BrowserMessages.iceCandidate(5), from: sender, at: t0)
        #expect(try overflowAgain.errorCodes(to: sender) == [.holdQueueFull])

        let joined = relay.join(receiver, as: .receiver, at: t0)
        #expect(Array(joined.texts(to: receiver).dropFirst(2)) == (1...3).map(BrowserMessages.iceCandidate))

        // Once delivered, the queue is empty again for the next absence.
        _ = relay.connectionClosed(receiver)
        for number in 6...8 {
            #expect(relay.textReceived(BrowserMessages.iceCandidate(number), from: sender, at: t0).isEmpty)
        }
        #expect(try relay.textReceived(BrowserMessages.iceCandidate(9), from: sender, at: t0).errorCodes(to: sender) == [.holdQueueFull])
    }

    @Test func holdQueueIsBoundedByBytes() throws {
        let t0 = ContinuousClock.now
        let first = #"{"type":"iceCandidate","candidate":"1"}"#
        let second = #"{"type":"iceCandidate","candidate":"é"}"#  // "é" is two UTF-8 bytes
        let limit = first.utf8.count + second.utf8.count
        var relay = RelayStateMachine(configuration: RelayConfiguration(maxHeldMessages: 100, maxHeldBytes: limit))
        relay.join(sender, as: .sender, at: t0)
        #expect(relay.textReceived(first, from: sender, at: t0).isEmpty)
        #expect(relay.textReceived(second, from: sender, at: t0).isEmpty, "exactly at the limit is still held")
        let tooMuch = relay.textReceived(#"{"type":"iceCandidate","candidate":null}"#, from: sender, at: t0)
        #expect(try tooMuch.errorCodes(to: sender) == [.holdQueueFull])

        let joined = relay.join(receiver, as: .receiver, at: t0)
        #expect(Array(joined.texts(to: receiver).dropFirst(2)) == [first, second])
    }

    @Test func oneOversizedMessageDoesNotBlockSmallerOnes() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(maxHeldBytes: 100))
        relay.join(sender, as: .sender, at: t0)
        let big = #"{"type":"createOffer","sdp":""# + String(repeating: "x", count: 100) + #""}"#
        #expect(try relay.textReceived(big, from: sender, at: t0).errorCodes(to: sender) == [.holdQueueFull])
        #expect(relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: t0).isEmpty)
        let joined = relay.join(receiver, as: .receiver, at: t0)
        #expect(joined.texts(to: receiver).last == BrowserMessages.endOfCandidates)
    }

    @Test func messagesArePassedStraightThroughOnceBothArePresent() {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(maxHeldMessages: 1))
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)
        // Far more than the hold limit: none of it is held, all of it is relayed.
        for number in 1...10 {
            #expect(relay.textReceived(BrowserMessages.iceCandidate(number), from: sender, at: t0) == [.send(BrowserMessages.iceCandidate(number), to: receiver)])
        }
    }
}
