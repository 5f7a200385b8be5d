import SignalingCore
import Testing

private let sender = ConnectionID(1)
private let receiver = ConnectionID(2)
private let other = ConnectionID(3)

@Suite("RelayStateMachine: message size and binary frames")
struct RelayMessageSizeTests {
    @Test func messageOverTheLimitIsRefusedAndNotRelayed() throws {
        let t0 = ContinuousClock.now
        let limit = BrowserMessages.createOffer.utf8.count
        var relay = RelayStateMachine(configuration: RelayConfiguration(maxMessageBytes: limit))
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)

        #expect(
            relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0) == [.send(BrowserMessages.createOffer, to: receiver)],
            "a message of exactly the limit passes")
        let tooLarge = BrowserMessages.createOffer + " "
        let actions = relay.textReceived(tooLarge, from: sender, at: t0)
        #expect(try actions.errorCodes(to: sender) == [.messageTooLarge])
        #expect(actions.recipients == [sender])
        #expect(actions.closedConnections.isEmpty)
    }

    @Test func limitCountsUTF8BytesNotCharacters() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(maxMessageBytes: 60))
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)
        // 48 characters, but each emoji is 4 UTF-8 bytes: 38 + 4 * 10 = 78 bytes.
        let text = #"{"type":"iceCandidate","candidate":"\#(String(repeating: "\u{1F600}", count: 10))"}"#
        #expect(text.count < 60)
        #expect(text.utf8.count > 60)
        let actions = relay.textReceived(text, from: sender, at: t0)
        #expect(try actions.errorCodes(to: sender) == [.messageTooLarge])
        #expect(actions.texts(to: receiver).isEmpty)
    }

    @Test func oversizedGarbageIsRefusedForItsSizeBeforeItIsParsed() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(maxMessageBytes: 1024))
        relay.join(sender, as: .sender, at: t0)
        let actions = relay.textReceived(String(repeating: "{", count: 2048), from: sender, at: t0)
        #expect(try actions.errorCodes(to: sender) == [.messageTooLarge])
    }

    @Test func defaultLimitAcceptsARealisticOfferAndRefuses64KiBPlusOne() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)
        let prefix = #"{"type":"createOffer","sdp":""#
        let suffix = #""}"#
        let exact = prefix + String(repeating: "a", count: 64 * 1024 - prefix.utf8.count - suffix.utf8.count) + suffix
        #expect(exact.utf8.count == 64 * 1024)
        #expect(relay.textReceived(exact, from: sender, at: t0) == [.send(exact, to: receiver)])
        let over = prefix + String(repeating: "a", count: 64 * 1024 - prefix.utf8.count - suffix.utf8.count + 1) + suffix
        #expect(try relay.textReceived(over, from: sender, at: t0).errorCodes(to: sender) == [.messageTooLarge])
    }

    @Test func binaryFrameIsRefusedAndTheConnectionStays() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)
        let actions = relay.binaryReceived(from: sender, at: t0)
        #expect(try actions.errorCodes(to: sender) == [.binaryNotSupported])
        #expect(actions.recipients == [sender])
        #expect(actions.closedConnections.isEmpty)
        #expect(relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0) == [.send(BrowserMessages.createOffer, to: receiver)])
    }

    @Test func binaryFrameBeforeRegisteringIsRefusedToo() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(other, as: nil, at: t0)
        #expect(try relay.binaryReceived(from: other, at: t0).errorCodes(to: other) == [.binaryNotSupported])
    }
}

@Suite("RelayStateMachine: rate limit")
struct RelayRateLimitTests {
    /// Burst 5, then 10 per second (one every 100 ms); flooders closed after 1000 drops.
    private static let configuration = RelayConfiguration(rateLimitBurst: 5, rateLimitPerSecond: 10, closeAfterDroppedMessages: 1000)

    @Test func burstPassesThenOneErrorThenSilentDropsThenRecovery() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: Self.configuration)
        _ = relay.connectionOpened(sender, room: nil, at: t0)
        relay.join(receiver, as: .receiver, at: t0)

        // Five messages at the same instant: the registration and four candidates.
        let registration = relay.textReceived(BrowserMessages.sender, from: sender, at: t0)
        #expect(try registration.messages(to: sender).first == .registered(role: .sender, room: "default"))
        for number in 1...4 {
            let candidate = BrowserMessages.iceCandidate(number)
            #expect(relay.textReceived(candidate, from: sender, at: t0) == [.send(candidate, to: receiver)])
        }

        // The sixth at that instant is dropped with one error; the rest silently.
        let sixth = relay.textReceived(BrowserMessages.iceCandidate(6), from: sender, at: t0)
        #expect(try sixth.errorCodes(to: sender) == [.rateLimited])
        #expect(sixth.recipients == [sender])
        for number in 7...20 {
            #expect(relay.textReceived(BrowserMessages.iceCandidate(number), from: sender, at: t0).isEmpty)
        }
        #expect(relay.binaryReceived(from: sender, at: t0).isEmpty, "binary frames are dropped by the limit too")

        // 100 ms later one token is back: one message passes; the next is dropped
        // silently, since it is still the same flood.
        let later = t0.advanced(by: .milliseconds(100))
        let recovered = BrowserMessages.iceCandidate(21)
        #expect(relay.textReceived(recovered, from: sender, at: later) == [.send(recovered, to: receiver)])
        #expect(relay.textReceived(BrowserMessages.iceCandidate(22), from: sender, at: later).isEmpty)
        #expect(relay.textReceived(BrowserMessages.iceCandidate(23), from: sender, at: later).isEmpty)

        // Half a token is not enough.
        #expect(relay.textReceived(BrowserMessages.iceCandidate(24), from: sender, at: later.advanced(by: .milliseconds(50))).isEmpty)
        let full = BrowserMessages.iceCandidate(25)
        #expect(relay.textReceived(full, from: sender, at: later.advanced(by: .milliseconds(100))) == [.send(full, to: receiver)])
        #expect(relay.connectionCount == 2)
    }

    @Test func bucketRefillsNoFurtherThanTheBurst() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: Self.configuration)
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)
        let idle = t0.advanced(by: .seconds(60))
        for number in 1...5 {
            let candidate = BrowserMessages.iceCandidate(number)
            #expect(relay.textReceived(candidate, from: sender, at: idle) == [.send(candidate, to: receiver)])
        }
        #expect(try relay.textReceived(BrowserMessages.iceCandidate(6), from: sender, at: idle).errorCodes(to: sender) == [.rateLimited])
    }

    @Test func steadyTrafficAtTheAllowedRateNeverDrops() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: Self.configuration)
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)
        for step in 1...200 {
            let candidate = BrowserMessages.iceCandidate(step)
            let now = t0.advanced(by: .milliseconds(100 * step))
            #expect(relay.textReceived(candidate, from: sender, at: now) == [.send(candidate, to: receiver)])
        }
    }

    @Test func eachConnectionHasItsOwnBucket() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: Self.configuration)
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)
        for number in 1...10 {
            _ = relay.textReceived(BrowserMessages.iceCandidate(number), from: sender, at: t0)
        }
        let answer = relay.textReceived(BrowserMessages.createAnswer, from: receiver, at: t0)
        #expect(answer == [.send(BrowserMessages.createAnswer, to: sender)])
    }

    @Test func floodingConnectionIsClosedAndItsPeerHearsPeerLeft() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(rateLimitBurst: 2, rateLimitPerSecond: 1, closeAfterDroppedMessages: 4))
        relay.join(sender, as: .sender, at: t0)
        relay.join(receiver, as: .receiver, at: t0)
        #expect(relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0) == [.send(BrowserMessages.createOffer, to: receiver)])

        // Drops 1 (error), 2 and 3 (silent), then the 4th in a row closes the connection.
        #expect(try relay.textReceived(BrowserMessages.iceCandidate, from: sender, at: t0).errorCodes(to: sender) == [.rateLimited])
        #expect(relay.textReceived(BrowserMessages.iceCandidate, from: sender, at: t0).isEmpty)
        #expect(relay.textReceived(BrowserMessages.iceCandidate, from: sender, at: t0).isEmpty)
        let closing = relay.textReceived(BrowserMessages.iceCandidate, from: sender, at: t0)
        #expect(closing.closeReasons(of: sender).map(\.code) == [1008])
        #expect(try closing.messages(to: receiver) == [.peerLeft(.sender)])
        #expect(closing.texts(to: sender).isEmpty)

        #expect(relay.connectionCount == 1)
        #expect(relay.occupant(of: .sender, inRoom: "default") == nil)
        // The closed connection is forgotten; closing it again (as the driver will) is harmless.
        #expect(relay.textReceived(BrowserMessages.createOffer, from: sender, at: t0.advanced(by: .seconds(10))).isEmpty)
        #expect(relay.connectionClosed(sender).isEmpty)
        // The seat is free for a well-behaved sender.
        let replacement = relay.join(other, as: .sender, at: t0)
        #expect(try replacement.messages(to: other) == [.registered(role: .sender, room: "default"), .peerJoined(.receiver)])
    }

    @Test func aMessageThatPassesMidFloodDoesNotResetTheDropCount() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(rateLimitBurst: 1, rateLimitPerSecond: 10, closeAfterDroppedMessages: 3))
        relay.join(sender, as: .sender, at: t0)  // uses the only token
        #expect(try relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: t0).errorCodes(to: sender) == [.rateLimited])
        #expect(relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: t0).isEmpty)
        // A flooder paced just above the rate gets a message through now and then…
        let later = t0.advanced(by: .milliseconds(100))
        #expect(relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: later).closedConnections.isEmpty)
        // …but its drops still add up, and the third closes it.
        #expect(relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: later).closedConnections == [sender])
        #expect(relay.connectionCount == 0)
    }

    @Test func aQuietSecondEndsTheFlood() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(rateLimitBurst: 1, rateLimitPerSecond: 10, closeAfterDroppedMessages: 3))
        relay.join(sender, as: .sender, at: t0)  // uses the only token
        var now = t0
        for round in 1...5 {
            // Two drops, one short of closing, then a quiet spell longer than a second.
            #expect(try relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: now).errorCodes(to: sender) == [.rateLimited], "round \(round)")
            #expect(relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: now).isEmpty)
            now = now.advanced(by: .milliseconds(1_500))
            let passed = relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: now)
            #expect(passed.closedConnections.isEmpty)
        }
        #expect(relay.connectionCount == 1)
    }

    @Test func floodingAloneInARoomRemovesTheRoom() {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(rateLimitBurst: 1, rateLimitPerSecond: 1, closeAfterDroppedMessages: 2))
        relay.join(sender, as: .sender, room: "flood", at: t0)
        _ = relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: t0)
        let closing = relay.textReceived(BrowserMessages.endOfCandidates, from: sender, at: t0)
        #expect(closing.closedConnections == [sender])
        #expect(relay.roomCount == 0)
        #expect(relay.connectionCount == 0)
    }
}
