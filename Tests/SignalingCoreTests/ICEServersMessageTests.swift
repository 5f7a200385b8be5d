import SignalingCore
import Testing

/// The `ice-servers` extension: a server configured with ICE servers sends
/// them to each client that takes a role, just before `registered`.
@Suite("ice-servers message")
struct ICEServersMessageTests {
    let a = ConnectionID(1)
    let b = ConnectionID(2)

    @Test("a role claim is answered with the ICE servers first, then registered; a repeated claim and a refused one get no ICE servers")
    func sentBeforeRegistered() throws {
        let now = ContinuousClock.now
        var configuration = RelayConfiguration()
        configuration.sendsICEServers = true
        var relay = RelayStateMachine(configuration: configuration)
        let first = relay.join(a, as: .sender, at: now)
        #expect(first.first == .sendICEServers(to: a))
        #expect(try first.messages(to: a) == [.registered(role: .sender, room: "default")])
        let again = relay.textReceived(SignalingMessage.register(.sender).jsonText(), from: a, at: now)
        #expect(!again.contains(.sendICEServers(to: a)))
        let taken = relay.join(b, as: .sender, at: now)
        #expect(!taken.contains(.sendICEServers(to: b)))
        #expect(try taken.errorCodes(to: b) == [.roleTaken])
    }

    @Test("without ICE servers configured, registration is the seed's exchange alone")
    func notSentByDefault() {
        var relay = RelayStateMachine()
        #expect(!relay.join(a, as: .receiver, at: .now).contains(.sendICEServers(to: a)))
    }

    @Test("the message is W3C RTCIceServer-shaped JSON and parses back; a client that sends one is refused")
    func wireShape() throws {
        let message = SignalingMessage.iceServers([
            SignalingICEServer(urls: ["stun:stun.example.org"]),
            SignalingICEServer(urls: ["turn:turn.example.org?transport=tcp"], username: "1700000000:swift-webrtc", credential: "c2VjcmV0"),
        ])
        let text = message.jsonText()
        #expect(text == #"{"iceServers":[{"urls":["stun:stun.example.org"]},{"credential":"c2VjcmV0","urls":["turn:turn.example.org?transport=tcp"],"username":"1700000000:swift-webrtc"}],"type":"ice-servers"}"#)
        #expect(try SignalingMessage(json: text) == message)
        #expect(throws: SignalingError.self) { try SignalingMessage(json: #"{"type":"ice-servers","iceServers":"stun:x"}"#) }

        var relay = RelayStateMachine()
        _ = relay.join(a, as: .sender, at: .now)
        let refused = relay.textReceived(text, from: a, at: .now)
        #expect(try refused.errorCodes(to: a) == [.invalidMessage])
    }
}
