import SignalingCore
import Testing

@Suite("SignalingMessage: parsing what browsers send")
struct SignalingMessageBrowserParsingTests {
    @Test func senderRegistration() throws {
        #expect(try SignalingMessage(json: BrowserMessages.sender) == .register(.sender))
    }

    @Test func receiverRegistration() throws {
        #expect(try SignalingMessage(json: BrowserMessages.receiver) == .register(.receiver))
    }

    @Test func createOfferWithSessionDescriptionObject() throws {
        let message = try SignalingMessage(json: BrowserMessages.createOffer)
        #expect(message == .createOffer(SessionDescription(type: .offer, sdp: BrowserMessages.offerSDP)))
        #expect(message.type == "createOffer")
    }

    @Test func createOfferWithBareSDPString() throws {
        let json = #"{"type":"createOffer","sdp":"v=0\r\ns=-\r\n"}"#
        #expect(try SignalingMessage(json: json) == .createOffer(SessionDescription(type: .offer, sdp: "v=0\r\ns=-\r\n")))
    }

    @Test func createAnswerWithSessionDescriptionObject() throws {
        let message = try SignalingMessage(json: BrowserMessages.createAnswer)
        #expect(message == .createAnswer(SessionDescription(type: .answer, sdp: BrowserMessages.answerSDP)))
        #expect(message.type == "createAnswer")
    }

    @Test func createAnswerWithBareSDPStringIsAnAnswer() throws {
        let json = #"{"type":"createAnswer","sdp":"v=0\r\n"}"#
        #expect(try SignalingMessage(json: json) == .createAnswer(SessionDescription(type: .answer, sdp: "v=0\r\n")))
    }

    @Test func iceCandidateWithFullRTCIceCandidateInit() throws {
        let expected = ICECandidateInit(
            candidate: BrowserMessages.candidateLine, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "sXmB")
        #expect(try SignalingMessage(json: BrowserMessages.iceCandidate) == .iceCandidate(expected))
    }

    @Test func iceCandidateWithNullFieldsInsideTheObject() throws {
        let json = #"{"type":"iceCandidate","candidate":{"candidate":"","sdpMid":null,"sdpMLineIndex":null,"usernameFragment":null}}"#
        #expect(try SignalingMessage(json: json) == .iceCandidate(ICECandidateInit(candidate: "")))
    }

    @Test func iceCandidateNullIsEndOfCandidates() throws {
        #expect(try SignalingMessage(json: BrowserMessages.endOfCandidates) == .iceCandidate(nil))
    }

    @Test func iceCandidateWithBareString() throws {
        let json = #"{"type":"iceCandidate","candidate":"candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host"}"#
        #expect(
            try SignalingMessage(json: json)
                == .iceCandidate(ICECandidateInit(candidate: "candidate:1 1 udp 2122260223 192.0.2.1 50000 typ host")))
    }

    @Test func unknownExtraFieldsAndWhitespaceAreIgnored() throws {
        let json = " {\n  \"sdp\" : {\"sdp\":\"v=0\", \"type\":\"offer\", \"x\":1},\t\"type\" : \"createOffer\", \"id\": 7, \"extra\": [null, {}] }\n"
        #expect(try SignalingMessage(json: json) == .createOffer(SessionDescription(type: .offer, sdp: "v=0")))
    }
}

@Suite("SignalingMessage: parsing what the server sends")
struct SignalingMessageServerParsingTests {
    @Test func registered() throws {
        #expect(
            try SignalingMessage(json: #"{"type":"registered","role":"receiver","room":"demo-1"}"#)
                == .registered(role: .receiver, room: "demo-1"))
    }

    @Test func peerJoined() throws {
        #expect(try SignalingMessage(json: #"{"type":"peer-joined","role":"sender"}"#) == .peerJoined(.sender))
    }

    @Test func peerLeft() throws {
        #expect(try SignalingMessage(json: #"{"type":"peer-left","role":"receiver"}"#) == .peerLeft(.receiver))
    }

    @Test func error() throws {
        let message = try SignalingMessage(json: #"{"type":"error","code":"role-taken","message":"room has a sender"}"#)
        #expect(message == .error(SignalingError(.roleTaken, "room has a sender")))
        #expect(message.errorCode == .roleTaken)
    }

    @Test func errorWithoutMessageHasAnEmptyOne() throws {
        #expect(try SignalingMessage(json: #"{"type":"error","code":"timeout"}"#) == .error(SignalingError(.timeout, "")))
    }

    @Test func errorWithACodeThisVersionDoesNotKnowKeepsIt() throws {
        let message = try SignalingMessage(json: #"{"type":"error","code":"some-future-code","message":"m"}"#)
        #expect(message.errorCode?.rawValue == "some-future-code")
    }
}

@Suite("SignalingMessage: encoding")
struct SignalingMessageEncodingTests {
    static let everyCase: [SignalingMessage] = [
        .register(.sender),
        .register(.receiver),
        .createOffer(SessionDescription(type: .offer, sdp: BrowserMessages.offerSDP)),
        .createOffer(SessionDescription(type: .offer, sdp: "")),
        .createAnswer(SessionDescription(type: .answer, sdp: BrowserMessages.answerSDP)),
        .createAnswer(SessionDescription(type: .pranswer, sdp: "v=0\r\n")),
        .iceCandidate(ICECandidateInit(candidate: BrowserMessages.candidateLine, sdpMid: "0", sdpMLineIndex: 0, usernameFragment: "sXmB")),
        .iceCandidate(ICECandidateInit(candidate: "candidate:1 1 udp 1 192.0.2.1 1 typ host")),
        .iceCandidate(ICECandidateInit(candidate: "", sdpMid: "audio", sdpMLineIndex: 3)),
        .iceCandidate(nil),
        .registered(role: .sender, room: "default"),
        .registered(role: .receiver, room: "a.b_c-D9"),
        .peerJoined(.sender),
        .peerJoined(.receiver),
        .peerLeft(.sender),
        .peerLeft(.receiver),
        .error(SignalingError(.roleTaken, "room \"default\" already has a sender")),
        .error(SignalingError(.rateLimited, "")),
        .error(SignalingError(.init(rawValue: "future-code"), "ünïcödé / \\ \u{1F600} \n\t")),
    ]

    @Test(arguments: everyCase)
    func roundTrip(_ message: SignalingMessage) throws {
        #expect(try SignalingMessage(json: message.jsonText()) == message)
    }

    @Test(arguments: everyCase)
    func encodedTypeFieldMatchesType(_ message: SignalingMessage) {
        #expect(message.jsonText().contains(#""type":"\#(message.type)""#))
    }

    @Test func registrationEncodesAsTheSeedDoes() {
        #expect(SignalingMessage.register(.sender).jsonText() == #"{"type":"sender"}"#)
        #expect(SignalingMessage.register(.receiver).jsonText() == #"{"type":"receiver"}"#)
    }

    @Test func endOfCandidatesEncodesAnExplicitNull() {
        let text = SignalingMessage.iceCandidate(nil).jsonText()
        #expect(text.contains(#""candidate":null"#))
        #expect(text == #"{"candidate":null,"type":"iceCandidate"}"#)
    }

    @Test func offerEncodesTheSessionDescriptionAsAnObject() {
        let text = SignalingMessage.createOffer(SessionDescription(type: .offer, sdp: "v=0\r\n")).jsonText()
        #expect(text == #"{"sdp":{"sdp":"v=0\r\n","type":"offer"},"type":"createOffer"}"#)
    }

    @Test func candidateLeavesOutAbsentFields() {
        let text = SignalingMessage.iceCandidate(ICECandidateInit(candidate: "c")).jsonText()
        #expect(text == #"{"candidate":{"candidate":"c"},"type":"iceCandidate"}"#)
    }

    @Test func errorEncodesCodeAndMessage() {
        let text = SignalingMessage.error(SignalingError(.wrongRole, "no")).jsonText()
        #expect(text == #"{"code":"wrong-role","message":"no","type":"error"}"#)
    }

    @Test func slashesAreNotEscaped() {
        let text = SignalingMessage.createOffer(SessionDescription(type: .offer, sdp: "m=video 9 UDP/TLS/RTP/SAVPF 96")).jsonText()
        #expect(text.contains("UDP/TLS/RTP/SAVPF"))
    }
}

@Suite("SignalingMessage: malformed input")
struct SignalingMessageMalformedInputTests {
    static let notJSON: [String] = [
        "",
        "   \n",
        "hello",
        "{",
        #"{"type":"sender""#,
        #"{"type":"createOffer","sdp":{"type":"offer","sdp":"v=0"#,
        #"{'type':'sender'}"#,
        #"{type:"sender"}"#,
        #"{"type":"sender"} trailing"#,
        #"{"type":"sender"}{"type":"receiver"}"#,
        #"{"type":"sender","x":tru}"#,
        #"{"type":"sender","x":NaN}"#,
        #"{"type":"sender","x":"\u12"}"#,
    ]

    @Test(arguments: notJSON)
    func textThatIsNotJSON(_ text: String) {
        expectError(.malformedJSON, parsing: text)
    }

    /// Texts that RFC 8259 (and a browser's `JSON.parse`) reject, where the
    /// broken part is in a field the message does not need, or is a control
    /// character inside a string. They are not JSON, so they must not parse.
    static let notStrictJSON: [String] = [
        "{\"type\":\"send\u{0}er\"}",  // raw NUL inside a string
        "{\"type\":\"sender\",\"note\":\"line one\nline two\"}",  // raw newline inside a string
        "{\"type\":\"iceCandidate\",\"candidate\":null,\"note\":\"tab\there\"}",  // raw tab inside a string
        #"{"type":"sender","note":"\q"}"#,  // invalid escape
        #"{"type":"sender","n":01}"#,  // leading zero
        #"{"type":"sender","n":1.}"#,  // no digit after the decimal point
        #"{"type":"sender",}"#,  // trailing comma in an object
        #"{"type":"iceCandidate","candidate":null,"list":[1,]}"#,  // trailing comma in an array
    ]

    @Test(arguments: notStrictJSON)
    func textThatIsNotStrictJSON(_ text: String) {
        expectError(.malformedJSON, parsing: text)
    }

    static let invalidMessages: [String] = [
        // Not an object at the top level.
        "[]",
        #"[{"type":"sender"}]"#,
        "42",
        "-1.5e300",
        #""sender""#,
        "true",
        "null",
        // No usable type.
        "{}",
        #"{"typ":"sender"}"#,
        #"{"type":null}"#,
        #"{"type":1}"#,
        #"{"type":true}"#,
        #"{"type":["sender"]}"#,
        #"{"type":{"type":"sender"}}"#,
        #"{"type":"\ud800"}"#,
        // createOffer / createAnswer without a usable sdp.
        #"{"type":"createOffer"}"#,
        #"{"type":"createOffer","sdp":null}"#,
        #"{"type":"createOffer","sdp":42}"#,
        #"{"type":"createOffer","sdp":["v=0"]}"#,
        #"{"type":"createOffer","sdp":{}}"#,
        #"{"type":"createOffer","sdp":{"type":"offer"}}"#,
        #"{"type":"createOffer","sdp":{"sdp":"v=0"}}"#,
        #"{"type":"createOffer","sdp":{"type":"bogus","sdp":"v=0"}}"#,
        #"{"type":"createOffer","sdp":{"type":"offer","sdp":42}}"#,
        #"{"type":"createAnswer"}"#,
        #"{"type":"createAnswer","sdp":true}"#,
        // iceCandidate without a usable candidate.
        #"{"type":"iceCandidate"}"#,
        #"{"type":"iceCandidate","sdpMid":"0","sdpMLineIndex":0}"#,
        #"{"type":"iceCandidate","candidate":42}"#,
        #"{"type":"iceCandidate","candidate":[]}"#,
        #"{"type":"iceCandidate","candidate":{}}"#,
        #"{"type":"iceCandidate","candidate":{"sdpMid":"0"}}"#,
        #"{"type":"iceCandidate","candidate":{"candidate":"c","sdpMLineIndex":"0"}}"#,
        #"{"type":"iceCandidate","candidate":{"candidate":"c","sdpMLineIndex":1e30}}"#,
        // Server messages with missing or bad fields.
        #"{"type":"registered"}"#,
        #"{"type":"registered","role":"sender"}"#,
        #"{"type":"registered","room":"default"}"#,
        #"{"type":"registered","role":"observer","room":"default"}"#,
        #"{"type":"registered","role":"Sender","room":"default"}"#,
        #"{"type":"registered","role":1,"room":"default"}"#,
        #"{"type":"registered","role":"sender","room":7}"#,
        #"{"type":"peer-joined"}"#,
        #"{"type":"peer-joined","role":"both"}"#,
        #"{"type":"peer-left","role":null}"#,
        #"{"type":"error"}"#,
        #"{"type":"error","code":404,"message":"x"}"#,
    ]

    @Test(arguments: invalidMessages)
    func jsonThatIsNotAValidMessage(_ text: String) {
        expectError(.invalidMessage, parsing: text)
    }

    static let unknownTypes: [String] = [
        #"{"type":""}"#,
        #"{"type":"Sender"}"#,
        #"{"type":"SENDER"}"#,
        #"{"type":" sender"}"#,
        #"{"type":"offer"}"#,
        #"{"type":"answer","sdp":"v=0"}"#,
        #"{"type":"candidate","candidate":null}"#,
        #"{"type":"create_offer","sdp":"v=0"}"#,
        #"{"type":"peer_joined","role":"sender"}"#,
        #"{"type":"\u0073ender\u0000"}"#,
        #"{"type":"ѕender"}"#,  // Cyrillic dze, not Latin s
        #"{"type":"sender\u0301"}"#,  // combining acute accent
        #"{"type":"\ud83d\ude00"}"#,
        "{\"type\":\"\u{1F600}\u{200D}\u{1F4BB}\"}",
    ]

    @Test(arguments: unknownTypes)
    func typeTheProtocolDoesNotHave(_ text: String) {
        expectError(.unknownType, parsing: text)
    }

    @Test func deeplyNestedJSONIsRejectedWithoutCrashing() {
        expectError(.malformedJSON, parsing: String(repeating: "[", count: 100_000))
        expectError(.malformedJSON, parsing: String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        expectError(.malformedJSON, parsing: #"{"type":"sender","x":"# + String(repeating: "[", count: 100_000) + "}")
    }

    @Test func hugeUnknownTypesAreUnknownTypes() {
        expectError(.unknownType, parsing: "{\"type\":\"" + String(repeating: "x", count: 1_000_000) + "\"}")
        expectError(.unknownType, parsing: "{\"type\":\"" + String(repeating: "\u{1F600}", count: 50_000) + "\"}")
    }

    @Test func hugeAndOddUnicodeFieldsParseWhenTheMessageIsValid() throws {
        let sdp = String(repeating: "a=x-\u{1F600}\u{0301}\u{202E}\u{FEFF}\u{10FFFF}\r\n", count: 20_000)
        let message = SignalingMessage.createOffer(SessionDescription(type: .offer, sdp: sdp))
        #expect(try SignalingMessage(json: message.jsonText()) == message)

        let escaped = #"{"type":"createAnswer","sdp":"\u00e9\ud83d\ude00\u0000\u2028"}"#
        #expect(try SignalingMessage(json: escaped) == .createAnswer(SessionDescription(type: .answer, sdp: "é\u{1F600}\u{0}\u{2028}")))
    }

    private func expectError(_ code: SignalingError.Code, parsing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let error = #expect(throws: SignalingError.self, sourceLocation: sourceLocation) {
            try SignalingMessage(json: text)
        }
        guard let error else { return }
        #expect(error.code == code, "parsing \(text.prefix(80).debugDescription)", sourceLocation: sourceLocation)
        #expect(!error.message.isEmpty, "an error explains itself", sourceLocation: sourceLocation)
    }
}
