import ICEKit
import Testing
import WebRTC

/// The connection asks its STUN servers for server-reflexive candidates and
/// trickles them; the end of candidates waits for the answers.
@Suite("Server-reflexive candidates from STUN servers")
struct ServerReflexiveCandidateTests {
    static let host = ICETransportAddress("10.0.0.1:5000")!
    static let server = ICETransportAddress("198.51.100.1:3478")!
    static let mapped = ICETransportAddress("203.0.113.7:41000")!

    static func candidates(_ events: [PeerConnectionCore.Event]) -> [String] {
        events.compactMap { if case .localCandidate(let candidate) = $0 { candidate.candidate } else { nil } }
    }

    @Test("a STUN server's answer becomes a trickled srflx candidate with its related address, and end-of-candidates comes after it")
    func trickledAfterTheAnswer() throws {
        let core = PeerConnectionCore(configuration: .init(certificate: try .init(), stunServers: [Self.server]))
        core.addLocalAddress(Self.host)
        core.addTrack(kind: .audio)
        let now = ContinuousClock.now
        try core.setLocalDescription(try core.createOffer(), at: now)
        var events: [PeerConnectionCore.Event] = []
        while let event = core.pollEvent() { events.append(event) }
        #expect(Self.candidates(events).count == 1, "the host candidate")
        #expect(!events.contains { if case .endOfLocalCandidates = $0 { true } else { false } }, "the server has not answered yet")

        let request = try #require(core.pollTransmit())
        #expect(request.destination == Self.server && request.source == Self.host)
        let message = try STUNMessage(parsing: request.bytes)
        let answer = STUNMessage(type: .bindingSuccess, transactionID: message.transactionID, attributes: [.xorMappedAddress(Self.mapped)])
        core.handle(datagram: answer.serialized(integrity: nil, fingerprint: true), from: Self.server, to: Self.host, at: now + .milliseconds(30))
        events = []
        while let event = core.pollEvent() { events.append(event) }
        let srflx = try #require(Self.candidates(events).first)
        #expect(srflx.contains(" 203.0.113.7 41000 typ srflx raddr 10.0.0.1 rport 5000"), "\(srflx)")
        #expect(events.last.map { if case .endOfLocalCandidates = $0 { true } else { false } } == true)
    }

    @Test("without STUN servers end-of-candidates follows the host candidates at once")
    func noServers() throws {
        let core = PeerConnectionCore(configuration: .init(certificate: try .init()))
        core.addLocalAddress(Self.host)
        core.addTrack(kind: .audio)
        try core.setLocalDescription(try core.createOffer(), at: .now)
        var events: [PeerConnectionCore.Event] = []
        while let event = core.pollEvent() { events.append(event) }
        #expect(events.contains { if case .endOfLocalCandidates = $0 { true } else { false } })
        #expect(core.pollTransmit() == nil)
    }

    @Test("stun: URLs give server addresses (default port 3478, IPv6 in brackets); malformed ones, unspecified hosts and unresolved names throw")
    func stunURLs() throws {
        #expect(try ICEServer(urls: ["stun:198.51.100.1"]).stunAddresses() == [ICETransportAddress("198.51.100.1:3478")!])
        #expect(try ICEServer(urls: ["stun:198.51.100.1:19302", "turn:198.51.100.2:3478"], username: "u", credential: "c").stunAddresses()
            == [ICETransportAddress("198.51.100.1:19302")!])
        #expect(try ICEServer(urls: ["stun:[2001:db8::1]:3479"]).stunAddresses() == [ICETransportAddress(host: "2001:db8::1", port: 3479)!])
        for bad in ["stun:198.51.100.1:0", "stun:198.51.100.1:port", "stun:[2001:db8::1", "stun:stun.example.org", "stun:0.0.0.0", "http:198.51.100.1"] {
            #expect(throws: PeerConnectionError.self, "\(bad)") { try ICEServer(urls: [bad]).stunAddresses() }
        }
    }

    @Test("turn: and turns: URLs give the TURN transport (udp, tcp with ?transport=tcp, tls for turns:) and default ports 3478 and 5349; a TURN entry without a credential throws")
    func turnURLs() throws {
        let udp = try ICEServerURL(parsing: "turn:turn.example.org")
        #expect((udp.scheme, udp.host, udp.port, udp.transport) == (.turn, "turn.example.org", 3478, .udp))
        let tcp = try ICEServerURL(parsing: "turn:198.51.100.2:3479?transport=tcp")
        #expect((tcp.port, tcp.transport, tcp.address) == (3479, .tcp, ICETransportAddress("198.51.100.2:3479")))
        let tls = try ICEServerURL(parsing: "turns:[2001:db8::2]")
        #expect((tls.host, tls.port, tls.transport) == ("2001:db8::2", 5349, .tls))
        #expect(try ICEServerURL(parsing: "TURNS:turn.example.org:443?transport=tcp").transport == .tls)
        #expect(try ICEServerURL(parsing: "stuns:stun.example.org").port == 5349)
        for bad in ["turn:", "turn:host?transport=sctp", "turns:host?transport=udp", "stun:host?transport=tcp", "turn:user@host", "turn:host:70000"] {
            #expect(throws: PeerConnectionError.self, "\(bad)") { try ICEServerURL(parsing: bad) }
        }
        #expect(throws: PeerConnectionError.self) { try ICEServer(urls: ["turn:198.51.100.2"]).parsedURLs() }
        #expect(throws: PeerConnectionError.self) { try ICEServer(urls: ["turn:198.51.100.2"], username: "u").parsedURLs() }
        #expect(try ICEServer(urls: ["turn:198.51.100.2"], username: "u", credential: "c").parsedURLs().count == 1)
    }
}
