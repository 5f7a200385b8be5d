import SignalingCore
import Testing

private let a = ConnectionID(1)
private let b = ConnectionID(2)
private let c = ConnectionID(3)

@Suite("RelayStateMachine: rooms")
struct RelayRoomTests {
    @Test func connectionWithoutRoomJoinsTheDefaultRoom() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        #expect(relay.connectionOpened(a, room: nil, at: t0).isEmpty)
        let actions = relay.textReceived(BrowserMessages.sender, from: a, at: t0)
        #expect(try actions.messages(to: a) == [.registered(role: .sender, room: "default")])
        #expect(relay.occupant(of: .sender, inRoom: "default") == a)
    }

    @Test func defaultRoomComesFromTheConfiguration() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(configuration: RelayConfiguration(defaultRoom: "lobby"))
        let actions = relay.join(a, as: .receiver, at: t0)
        #expect(try actions.messages(to: a) == [.registered(role: .receiver, room: "lobby")])
        #expect(relay.occupant(of: .receiver, inRoom: "lobby") == a)
        #expect(relay.occupant(of: .receiver, inRoom: "default") == nil)
    }

    @Test func namedRoom() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        let actions = relay.join(a, as: .sender, room: "Demo_room-1.2", at: t0)
        #expect(try actions.messages(to: a) == [.registered(role: .sender, room: "Demo_room-1.2")])
        #expect(relay.occupant(of: .sender, inRoom: "Demo_room-1.2") == a)
        #expect(relay.occupant(of: .sender, inRoom: "default") == nil)
    }

    @Test func roomNameOfMaximumLengthIsAccepted() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        let name = String(repeating: "r", count: 64)
        let actions = relay.join(a, as: .sender, room: name, at: t0)
        #expect(try actions.messages(to: a) == [.registered(role: .sender, room: name)])
        #expect(actions.closedConnections.isEmpty)
    }

    @Test(arguments: ["", String(repeating: "r", count: 65), "a/b", "a b", "room?x=1", "caf\u{E9}", "..%2F", "a\nb"])
    func invalidRoomNameIsRefusedAndClosed(_ name: String) throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        let actions = relay.connectionOpened(a, room: name, at: t0)
        #expect(try actions.errorCodes(to: a) == [.invalidRoom])
        #expect(actions.closeReasons(of: a).map(\.code) == [1008])
        #expect(relay.connectionCount == 0)
        #expect(relay.roomCount == 0)
        // The refused connection is not in any room: what it sends goes nowhere.
        #expect(relay.textReceived(BrowserMessages.sender, from: a, at: t0).isEmpty)
        #expect(relay.connectionClosed(a).isEmpty)
    }

    @Test func invalidRoomDoesNotDisturbOthers() {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        let actions = relay.connectionOpened(b, room: "no/slashes", at: t0)
        #expect(actions.recipients == [b])
        #expect(actions.closedConnections == [b])
        #expect(relay.connectionCount == 1)
        #expect(relay.occupant(of: .sender, inRoom: "default") == a)
    }

    @Test func roomsAreRemovedWhenEmpty() {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        #expect(relay.roomCount == 0)
        relay.join(a, as: .sender, room: "one", at: t0)
        relay.join(b, as: nil, room: "one", at: t0)
        relay.join(c, as: .receiver, room: "two", at: t0)
        #expect(relay.roomCount == 2)
        #expect(relay.connectionCount == 3)

        _ = relay.connectionClosed(a)
        #expect(relay.roomCount == 2, "room one still has an unregistered member")
        _ = relay.connectionClosed(b)
        #expect(relay.roomCount == 1)
        _ = relay.connectionClosed(c)
        #expect(relay.roomCount == 0)
        #expect(relay.connectionCount == 0)
    }

    @Test func connectionClosedTwiceIsHarmless() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        relay.join(b, as: .receiver, at: t0)
        let first = relay.connectionClosed(b)
        #expect(try first.messages(to: a) == [.peerLeft(.receiver)])
        #expect(relay.connectionClosed(b).isEmpty)
        #expect(relay.connectionClosed(ConnectionID(99)).isEmpty)
        #expect(relay.connectionCount == 1)
        #expect(relay.roomCount == 1)
        #expect(relay.occupant(of: .sender, inRoom: "default") == a)
    }

    @Test func twoRoomsNeverSeeEachOthersMessages() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        let d = ConnectionID(4)
        relay.join(a, as: .sender, room: "one", at: t0)
        relay.join(b, as: .receiver, room: "one", at: t0)
        // The same roles in another room are not taken.
        let registerC = relay.join(c, as: .sender, room: "two", at: t0)
        #expect(try registerC.messages(to: c) == [.registered(role: .sender, room: "two")])
        #expect(registerC.recipients == [c])
        let registerD = relay.join(d, as: .receiver, room: "two", at: t0)
        #expect(registerD.recipients == [c, d])

        let offerOne = relay.textReceived(BrowserMessages.createOffer, from: a, at: t0)
        #expect(offerOne == [.send(BrowserMessages.createOffer, to: b)])
        let candidateTwo = relay.textReceived(BrowserMessages.iceCandidate(2), from: c, at: t0)
        #expect(candidateTwo == [.send(BrowserMessages.iceCandidate(2), to: d)])
        let answerTwo = relay.textReceived(BrowserMessages.createAnswer, from: d, at: t0)
        #expect(answerTwo == [.send(BrowserMessages.createAnswer, to: c)])

        let leaveOne = relay.connectionClosed(b)
        #expect(leaveOne.recipients == [a])
    }

    @Test func errorsInOneRoomAffectNothingInTheOther() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine(
            configuration: RelayConfiguration(rateLimitBurst: 3, rateLimitPerSecond: 1, closeAfterDroppedMessages: 3))
        let d = ConnectionID(4)
        relay.join(a, as: .sender, room: "one", at: t0)
        relay.join(b, as: .receiver, room: "one", at: t0)
        relay.join(c, as: .sender, room: "two", at: t0)
        relay.join(d, as: .receiver, room: "two", at: t0)

        // In room one: garbage, a wrong-role message, then a flood that gets `a` closed.
        var roomOne: [RelayAction] = []
        roomOne += relay.textReceived("garbage", from: a, at: t0)
        roomOne += relay.textReceived(BrowserMessages.createAnswer, from: a, at: t0)
        for _ in 0..<10 {
            roomOne += relay.textReceived(BrowserMessages.iceCandidate, from: a, at: t0)
        }
        #expect(roomOne.recipients.isSubset(of: [a, b]))
        #expect(roomOne.closedConnections == [a])
        #expect(try roomOne.messages(to: b).last == .peerLeft(.sender))

        // Room two carries on as if nothing happened.
        #expect(relay.occupant(of: .sender, inRoom: "two") == c)
        #expect(relay.occupant(of: .receiver, inRoom: "two") == d)
        let offer = relay.textReceived(BrowserMessages.createOffer, from: c, at: t0)
        #expect(offer == [.send(BrowserMessages.createOffer, to: d)])
        let answer = relay.textReceived(BrowserMessages.createAnswer, from: d, at: t0)
        #expect(answer == [.send(BrowserMessages.createAnswer, to: c)])
    }
}

@Suite("RelayStateMachine: registration")
struct RelayRegistrationTests {
    @Test func registerRepliesRegisteredWithTheRoom() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        _ = relay.connectionOpened(a, room: "demo", at: t0)
        let actions = relay.textReceived(BrowserMessages.receiver, from: a, at: t0)
        #expect(try actions.messages(to: a) == [.registered(role: .receiver, room: "demo")])
        #expect(actions.recipients == [a])
        #expect(relay.occupant(of: .receiver, inRoom: "demo") == a)
        #expect(relay.occupant(of: .sender, inRoom: "demo") == nil)
    }

    @Test func peerJoinedIsSentToBoth() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        let actions = relay.join(b, as: .receiver, at: t0)
        #expect(try actions.messages(to: b) == [.registered(role: .receiver, room: "default"), .peerJoined(.sender)])
        #expect(try actions.messages(to: a) == [.peerJoined(.receiver)])
    }

    @Test func peerJoinedIsSentToBothWhenTheReceiverComesFirst() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .receiver, at: t0)
        let actions = relay.join(b, as: .sender, at: t0)
        #expect(try actions.messages(to: b) == [.registered(role: .sender, room: "default"), .peerJoined(.receiver)])
        #expect(try actions.messages(to: a) == [.peerJoined(.sender)])
    }

    @Test func secondClaimantOfARoleIsRefusedAndTheFirstKeepsItsSeat() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        let second = relay.join(b, as: .sender, at: t0)
        #expect(try second.errorCodes(to: b) == [.roleTaken])
        #expect(second.recipients == [b])
        #expect(second.closedConnections.isEmpty)
        #expect(relay.occupant(of: .sender, inRoom: "default") == a)

        // Messages for the sender still reach the first one, never the refused one.
        let joined = relay.join(c, as: .receiver, at: t0)
        #expect(try joined.messages(to: a) == [.peerJoined(.receiver)])
        #expect(joined.texts(to: b).isEmpty)
        let answer = relay.textReceived(BrowserMessages.createAnswer, from: c, at: t0)
        #expect(answer == [.send(BrowserMessages.createAnswer, to: a)])
        // The refused connection has no role, so it cannot send call messages.
        let offer = relay.textReceived(BrowserMessages.createOffer, from: b, at: t0)
        #expect(try offer.errorCodes(to: b) == [.notRegistered])
        #expect(offer.recipients == [b])
    }

    @Test func refusedClaimantMayTakeTheFreeRole() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        relay.join(b, as: .sender, at: t0)
        let actions = relay.textReceived(BrowserMessages.receiver, from: b, at: t0)
        #expect(try actions.messages(to: b) == [.registered(role: .receiver, room: "default"), .peerJoined(.sender)])
        #expect(relay.occupant(of: .receiver, inRoom: "default") == b)
    }

    @Test func registeringTheSameRoleAgainIsIdempotent() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        relay.join(b, as: .receiver, at: t0)
        let again = relay.textReceived(BrowserMessages.sender, from: a, at: t0)
        #expect(try again.messages(to: a) == [.registered(role: .sender, room: "default")])
        #expect(again.recipients == [a], "the receiver hears no second peer-joined")
        #expect(relay.occupant(of: .sender, inRoom: "default") == a)
        let offer = relay.textReceived(BrowserMessages.createOffer, from: a, at: t0)
        #expect(offer == [.send(BrowserMessages.createOffer, to: b)])
    }

    @Test func registeringTheOtherRoleIsRefused() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        let actions = relay.textReceived(BrowserMessages.receiver, from: a, at: t0)
        #expect(try actions.errorCodes(to: a) == [.roleAlreadyChosen])
        #expect(relay.occupant(of: .sender, inRoom: "default") == a)
        #expect(relay.occupant(of: .receiver, inRoom: "default") == nil)
        // The receiver seat is still free for someone else.
        let other = relay.join(b, as: .receiver, at: t0)
        #expect(try other.messages(to: b).first == .registered(role: .receiver, room: "default"))
    }

    @Test(arguments: [BrowserMessages.createOffer, BrowserMessages.createAnswer, BrowserMessages.iceCandidate, BrowserMessages.endOfCandidates])
    func callMessageBeforeRegisteringIsRefused(_ text: String) throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        relay.join(b, as: .receiver, at: t0)
        relay.join(c, as: nil, at: t0)
        let actions = relay.textReceived(text, from: c, at: t0)
        #expect(try actions.errorCodes(to: c) == [.notRegistered])
        #expect(actions.recipients == [c])
    }

    @Test func peerLeftGoesToTheRemainingPeerAndTheSeatIsFreeAgain() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        relay.join(b, as: .receiver, at: t0)

        let left = relay.connectionClosed(b)
        #expect(try left.messages(to: a) == [.peerLeft(.receiver)])
        #expect(left.recipients == [a])
        #expect(relay.occupant(of: .receiver, inRoom: "default") == nil)

        let joined = relay.join(c, as: .receiver, at: t0)
        #expect(try joined.messages(to: c) == [.registered(role: .receiver, room: "default"), .peerJoined(.sender)])
        #expect(try joined.messages(to: a) == [.peerJoined(.receiver)])
        let offer = relay.textReceived(BrowserMessages.createOffer, from: a, at: t0)
        #expect(offer == [.send(BrowserMessages.createOffer, to: c)])
    }

    @Test func senderLeavingIsAnnouncedToTheReceiver() throws {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        relay.join(b, as: .receiver, at: t0)
        #expect(try relay.connectionClosed(a).messages(to: b) == [.peerLeft(.sender)])
        let newSender = relay.join(c, as: .sender, at: t0)
        #expect(try newSender.messages(to: c) == [.registered(role: .sender, room: "default"), .peerJoined(.receiver)])
    }

    @Test func unregisteredOrLonelyConnectionsLeaveSilently() {
        let t0 = ContinuousClock.now
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        relay.join(b, as: nil, at: t0)
        #expect(relay.connectionClosed(b).isEmpty, "an unregistered connection's leaving is not announced")
        #expect(relay.connectionClosed(a).isEmpty, "nobody is left to tell")
    }
}

@Suite("RelayStateMachine: relaying call messages")
struct RelayForwardingTests {
    /// A relay with `a` as sender and `b` as receiver in the default room.
    private func pairedRelay(at t0: ContinuousClock.Instant) -> RelayStateMachine {
        var relay = RelayStateMachine()
        relay.join(a, as: .sender, at: t0)
        relay.join(b, as: .receiver, at: t0)
        return relay
    }

    @Test func offerGoesFromSenderToReceiverByteForByte() {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        #expect(relay.textReceived(BrowserMessages.createOffer, from: a, at: t0) == [.send(BrowserMessages.createOffer, to: b)])
    }

    @Test func oddWhitespaceAndUnknownFieldsSurviveTheRelay() {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        let text =
            " \t{ \"x-trace\" : [1, 2.50, {\"nested\": null}],\n \"type\"  :\"createOffer\",\r\n\"sdp\":{\"sdp\":\"v=0\\r\\n\\u00e9\",\"type\":\"offer\",\"extra\":true} , \"zz\":\"\u{1F600}\"}  \n"
        let actions = relay.textReceived(text, from: a, at: t0)
        #expect(actions.count == 1)
        #expect(actions.texts(to: b) == [text])
        #expect(actions.texts(to: b).first?.utf8.elementsEqual(text.utf8) == true)
    }

    @Test func answerGoesFromReceiverToSender() {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        #expect(relay.textReceived(BrowserMessages.createAnswer, from: b, at: t0) == [.send(BrowserMessages.createAnswer, to: a)])
        let bare = #"{"type":"createAnswer","sdp":"v=0\r\n"}"#
        #expect(relay.textReceived(bare, from: b, at: t0) == [.send(bare, to: a)])
    }

    @Test(arguments: [
        BrowserMessages.iceCandidate, BrowserMessages.endOfCandidates,
        #"{"type":"iceCandidate","candidate":"candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host"}"#,
    ])
    func candidatesGoBothWays(_ text: String) {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        #expect(relay.textReceived(text, from: a, at: t0) == [.send(text, to: b)])
        #expect(relay.textReceived(text, from: b, at: t0) == [.send(text, to: a)])
    }

    @Test func offerFromTheReceiverIsWrongRole() throws {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        let actions = relay.textReceived(BrowserMessages.createOffer, from: b, at: t0)
        #expect(try actions.errorCodes(to: b) == [.wrongRole])
        #expect(actions.recipients == [b])
    }

    @Test func answerFromTheSenderIsWrongRole() throws {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        let actions = relay.textReceived(BrowserMessages.createAnswer, from: a, at: t0)
        #expect(try actions.errorCodes(to: a) == [.wrongRole])
        #expect(actions.recipients == [a])
    }

    @Test(arguments: [
        ("not json", SignalingError.Code.malformedJSON),
        (#"{"type":"createOffer"}"#, .invalidMessage),
        (#"{"type":"createOffer","sdp":7}"#, .invalidMessage),
        (#"[{"type":"createOffer","sdp":"v=0"}]"#, .invalidMessage),
        (#"{"type":"hangup"}"#, .unknownType),
        (#"{"type":"offer","sdp":"v=0"}"#, .unknownType),
    ])
    func badInputGetsAnErrorAndIsNotRelayed(_ text: String, _ code: SignalingError.Code) throws {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        let actions = relay.textReceived(text, from: a, at: t0)
        #expect(try actions.errorCodes(to: a) == [code])
        #expect(actions.recipients == [a])
        #expect(actions.closedConnections.isEmpty)
        // The connection keeps working.
        #expect(relay.textReceived(BrowserMessages.createOffer, from: a, at: t0) == [.send(BrowserMessages.createOffer, to: b)])
    }

    /// The relay forwards call messages byte for byte, so whatever it accepts
    /// reaches the peer's `JSON.parse` (the seed's pages call it unguarded).
    /// Texts a browser cannot parse must be refused, not relayed.
    @Test(arguments: [
        "{\"type\":\"iceCandidate\",\"candidate\":null,\"note\":\"line one\nline two\"}",
        #"{"type":"iceCandidate","candidate":null,"note":"\q"}"#,
        #"{"type":"createOffer","sdp":"v=0\r\n","n":01}"#,
        #"{"type":"createOffer","sdp":"v=0\r\n",}"#,
    ])
    func textABrowserCannotParseIsNeverRelayed(_ text: String) throws {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        let actions = relay.textReceived(text, from: a, at: t0)
        #expect(actions.texts(to: b).isEmpty, "relayed to the receiver: \(text.debugDescription)")
        #expect(try actions.errorCodes(to: a) == [.malformedJSON])
    }

    @Test(arguments: [
        SignalingMessage.registered(role: .sender, room: "default"),
        .peerJoined(.receiver),
        .peerLeft(.receiver),
        .error(SignalingError(.roleTaken, "spoofed")),
    ])
    func serverOnlyMessagesFromAClientAreInvalid(_ message: SignalingMessage) throws {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        let actions = relay.textReceived(message.jsonText(), from: a, at: t0)
        #expect(try actions.errorCodes(to: a) == [.invalidMessage])
        #expect(actions.recipients == [a])
        #expect(relay.occupant(of: .sender, inRoom: "default") == a)
        #expect(relay.occupant(of: .receiver, inRoom: "default") == b)
    }

    @Test func unknownConnectionsAreIgnored() {
        let t0 = ContinuousClock.now
        var relay = pairedRelay(at: t0)
        #expect(relay.textReceived(BrowserMessages.createOffer, from: ConnectionID(42), at: t0).isEmpty)
        #expect(relay.binaryReceived(from: ConnectionID(42), at: t0).isEmpty)
    }
}
