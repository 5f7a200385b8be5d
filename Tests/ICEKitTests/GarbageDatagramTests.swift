import ICEKit
import Testing

@Suite("ICE agent: garbage and unauthenticated datagrams are dropped without effect")
struct GarbageDatagramTests {
    func connected() throws -> AgentSimulation {
        let sim = try TestAgents.connectedSimulation()
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        return sim
    }

    func request(username: String, password: String, attributes extra: [STUNAttribute] = [.priority(1_000), .iceControlled(7)]) -> [UInt8] {
        STUNMessage(type: .bindingRequest, transactionID: .random(), attributes: [.username(username)] + extra)
            .serialized(integrity: .shortTerm(password: password), fingerprint: true)
    }

    func drain(_ agent: inout ICEAgent) -> [ICETransmit] {
        var out: [ICETransmit] = []
        while let transmit = agent.pollTransmit() { out.append(transmit) }
        return out
    }

    @Test("random bytes, truncated and bit-flipped STUN change nothing and are counted")
    func garbage() throws {
        let sim = try connected()
        var agent = sim.agents[0]
        _ = drain(&agent)
        while agent.pollEvent() != nil {}
        let selected = agent.selectedPair
        let attacker = ICETransportAddress(host: "127.0.0.1", port: 50999)!
        var generator = SplitMix64(seed: 42)
        // The attacker knows the ufrags (they travel in signalling) but not the password.
        let valid = request(username: "AAAA:BBBB", password: "guessed-password-0123456")
        var sent = 0
        for round in 0..<3_000 {
            var bytes: [UInt8]
            switch round % 3 {
            case 0:
                bytes = (0..<Int.random(in: 0...120, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            case 1:
                bytes = Array(valid[0..<Int.random(in: 0..<valid.count, using: &generator)])
            default:
                bytes = valid
                bytes[Int.random(in: 0..<bytes.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            }
            agent.handle(datagram: bytes, from: attacker, to: TestAgents.addressA, at: sim.now)
            sent += 1
        }
        #expect(agent.connectionState == .connected)
        #expect(agent.selectedPair == selected)
        #expect(agent.pollEvent() == nil)
        #expect(agent.statistics.malformedDatagrams > 2_000)
        #expect(agent.remoteCandidates.count == 1)
        // Messages that still parse fail authentication: 400/401 replies only, without integrity.
        for transmit in drain(&agent) {
            let reply = try STUNMessage(parsing: transmit.bytes)
            #expect(reply.type == .bindingError)
            #expect([400, 401].contains(reply.errorCode?.code))
            #expect(reply.messageIntegrity == nil)
        }
    }

    @Test("a request with the wrong password gets 401 without integrity and teaches nothing")
    func wrongPassword() throws {
        var agent = TestAgents.agent(.controlled, ufrag: "AAAA", tieBreaker: 1)
        try agent.addLocalHostCandidate(address: TestAgents.addressA)
        agent.handle(datagram: request(username: "AAAA:BBBB", password: "not-the-password"), from: TestAgents.addressB, to: TestAgents.addressA, at: .now)
        let reply = drain(&agent)
        #expect(reply.count == 1)
        let message = try STUNMessage(parsing: reply[0].bytes)
        #expect(message.errorCode?.code == 401)
        #expect(message.messageIntegrity == nil)
        #expect(reply[0].destination == TestAgents.addressB)
        #expect(agent.remoteCandidates.isEmpty)
        #expect(agent.connectionState == .new)
        #expect(agent.statistics.unauthenticatedRequests == 1)
    }

    @Test("a request for another ufrag gets 401; one without USERNAME or integrity gets 400")
    func wrongUfragAndMissingAttributes() throws {
        var agent = TestAgents.agent(.controlled, ufrag: "AAAA", tieBreaker: 1)
        try agent.addLocalHostCandidate(address: TestAgents.addressA)
        agent.handle(datagram: request(username: "ZZZZ:BBBB", password: agent.localCredentials.pwd), from: TestAgents.addressB, to: TestAgents.addressA, at: .now)
        agent.handle(datagram: request(username: "AAAAX:BBBB", password: agent.localCredentials.pwd), from: TestAgents.addressB, to: TestAgents.addressA, at: .now)
        let bare = STUNMessage(type: .bindingRequest, transactionID: .random(), attributes: [.priority(1)]).serialized(integrity: nil, fingerprint: true)
        agent.handle(datagram: bare, from: TestAgents.addressB, to: TestAgents.addressA, at: .now)
        let codes = try drain(&agent).map { try STUNMessage(parsing: $0.bytes).errorCode?.code }
        #expect(codes == [401, 401, 400])
        #expect(agent.remoteCandidates.isEmpty)
    }

    @Test("an authenticated request without PRIORITY gets 400; with an unknown required attribute, 420")
    func badICERequests() throws {
        var agent = TestAgents.agent(.controlled, ufrag: "AAAA", tieBreaker: 1)
        try agent.addLocalHostCandidate(address: TestAgents.addressA)
        let password = agent.localCredentials.pwd
        agent.handle(datagram: request(username: "AAAA:BBBB", password: password, attributes: [.iceControlling(5)]), from: TestAgents.addressB, to: TestAgents.addressA, at: .now)
        let unknown = STUNAttributeType(rawValue: 0x0042)
        agent.handle(datagram: request(username: "AAAA:BBBB", password: password, attributes: [.priority(1), .iceControlling(5), .other(unknown, [1, 2, 3, 4])]), from: TestAgents.addressB, to: TestAgents.addressA, at: .now)
        let replies = try drain(&agent).map { try STUNMessage(parsing: $0.bytes) }
        #expect(replies.map { $0.errorCode?.code } == [400, 420])
        #expect(replies.last?.unknownAttributes == [unknown])
        #expect(agent.remoteCandidates.isEmpty)
    }

    @Test("responses with unknown transaction IDs or a wrong integrity are dropped")
    func forgedResponses() throws {
        var (a, b, _, candidateB) = try TestAgents.pair()
        try a.setRemoteCredentials(ufrag: "BBBB", pwd: b.localCredentials.pwd)
        a.addRemoteCandidate(candidateB)
        let now = ContinuousClock.now
        a.handleTimeout(at: now)
        let check = try #require(drain(&a).first)
        let request = try STUNMessage(parsing: check.bytes)
        // Right transaction, wrong key.
        let forged = STUNMessage(type: .bindingSuccess, transactionID: request.transactionID, attributes: [.xorMappedAddress(TestAgents.addressA)])
        a.handle(datagram: forged.serialized(integrity: .shortTerm(password: "guess"), fingerprint: true), from: TestAgents.addressB, to: TestAgents.addressA, at: now)
        // Right key, unknown transaction.
        let stray = STUNMessage(type: .bindingSuccess, transactionID: .random(), attributes: [.xorMappedAddress(TestAgents.addressA)])
        a.handle(datagram: stray.serialized(integrity: .shortTerm(password: b.localCredentials.pwd), fingerprint: true), from: TestAgents.addressB, to: TestAgents.addressA, at: now)
        #expect(a.statistics.unmatchedResponses == 2)
        #expect(a.candidatePairs.map(\.state) == [.inProgress])
        // The genuine response from the wrong address (asymmetric) fails the pair.
        let genuine = forged.serialized(integrity: .shortTerm(password: b.localCredentials.pwd), fingerprint: true)
        a.handle(datagram: genuine, from: ICETransportAddress(host: "127.0.0.1", port: 1)!, to: TestAgents.addressA, at: now)
        #expect(a.candidatePairs.map(\.state) == [.failed])
        #expect(a.selectedPair == nil)
    }

    @Test("indications and non-Binding methods are ignored")
    func otherMessages() throws {
        let sim = try connected()
        var agent = sim.agents[1]
        _ = drain(&agent)
        let indication = STUNMessage(type: .bindingIndication, transactionID: .random()).serialized(integrity: nil, fingerprint: true)
        let allocate = STUNMessage(type: STUNMessageType(method: STUNMethod(rawValue: 0x003), class: .request), transactionID: .random()).serialized()
        agent.handle(datagram: indication, from: TestAgents.addressA, to: TestAgents.addressB, at: sim.now)
        agent.handle(datagram: allocate, from: TestAgents.addressA, to: TestAgents.addressB, at: sim.now)
        #expect(drain(&agent).isEmpty)
        #expect(agent.connectionState == .connected)
    }

    @Test("a flood of authenticated requests from many addresses stays within the limits")
    func flood() throws {
        var agent = TestAgents.agent(.controlled, ufrag: "AAAA", tieBreaker: 1)
        try agent.addLocalHostCandidate(address: TestAgents.addressA)
        try agent.setRemoteCredentials(ufrag: "BBBB", pwd: "pwd-pwd-pwd-pwd-pwd-pwd")
        let start = ContinuousClock.now
        for port in 1...2_000 {
            let source = ICETransportAddress(host: "127.0.0.1", port: UInt16(port))!
            let check = request(username: "AAAA:BBBB", password: agent.localCredentials.pwd, attributes: [.priority(1_000), .iceControlling(7)])
            agent.handle(datagram: check, from: source, to: TestAgents.addressA, at: start + .milliseconds(port))
        }
        let configuration = ICEConfiguration()
        #expect(agent.remoteCandidates.count == configuration.maxRemoteCandidates)
        #expect(agent.candidatePairs.count <= configuration.maxCandidatePairs)
        #expect(agent.statistics.requestsAnswered == 2_000)
        let queued = drain(&agent)
        #expect(queued.count <= configuration.maxQueuedTransmits)
        #expect(agent.statistics.droppedTransmits + queued.count >= 2_000)
    }
}
