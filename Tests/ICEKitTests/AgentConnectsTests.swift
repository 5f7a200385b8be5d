import ICEKit
import Testing

@Suite("ICE agent: two agents connect over loopback on virtual time")
struct AgentConnectsTests {
    @Test("controlling and controlled agents reach connected with the same selected pair")
    func connects() throws {
        let sim = try TestAgents.connectedSimulation()
        let connected = sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected }
        #expect(connected)
        let a = try #require(sim.agents[0].selectedPair)
        let b = try #require(sim.agents[1].selectedPair)
        #expect(a.localBase == TestAgents.addressA)
        #expect(a.remoteAddress == TestAgents.addressB)
        #expect(b.localBase == TestAgents.addressB)
        #expect(b.remoteAddress == TestAgents.addressA)
        #expect(a.local.transportAddress == b.remote.transportAddress)
        #expect(a.remote.transportAddress == b.local.transportAddress)
        #expect(sim.states(0) == [.checking, .connected])
        #expect(sim.states(1) == [.checking, .connected])
        // Exactly one selection event each, naming the selected pair.
        let selections = sim.events[0].filter { if case .selectedPairChanged = $0.event { true } else { false } }
        #expect(selections.map(\.event) == [.selectedPairChanged(local: a.local, remote: a.remote)])
        // Regular nomination: the controlled side selects what the controlling side nominated.
        #expect(sim.agents[1].candidatePairs.first { $0.pair.remoteAddress == TestAgents.addressA }?.isNominated == true)
        #expect(sim.agents[0].roleConflictFree)
        #expect(sim.elapsed < .seconds(2))
        #expect(sim.agents[0].isValidated(remote: TestAgents.addressB, local: TestAgents.addressA))
        #expect(!sim.agents[0].isValidated(remote: ICETransportAddress(host: "127.0.0.1", port: 1)!, local: TestAgents.addressA))
    }

    @Test("remote candidates that arrive before the credentials are held, then used")
    func candidatesBeforeCredentials() throws {
        var (a, b, candidateA, candidateB) = try TestAgents.pair()
        a.addRemoteCandidate(candidateB)
        b.addRemoteCandidate(candidateA)
        #expect(a.remoteCandidates.isEmpty)
        let sim = AgentSimulation([a, b], addresses: [[TestAgents.addressA], [TestAgents.addressB]])
        // Without credentials nothing is sent and nothing is scheduled.
        sim.run(for: .seconds(1))
        #expect(sim.sent.isEmpty)
        #expect(sim.state(0) == .new)
        #expect(sim.agents[0].nextTimeout() == nil)
        try sim.agents[0].setRemoteCredentials(ufrag: "BBBB", pwd: sim.agents[1].localCredentials.pwd)
        try sim.agents[1].setRemoteCredentials(ufrag: "AAAA", pwd: sim.agents[0].localCredentials.pwd)
        #expect(sim.agents[0].remoteCandidates.map(\.transportAddress) == [TestAgents.addressB])
        sim.agents[0].handleTimeout(at: sim.now)
        sim.agents[1].handleTimeout(at: sim.now)
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        #expect(sim.agents[0].selectedPair?.remoteAddress == TestAgents.addressB)
    }

    @Test("checks that arrive before the remote credentials are answered; the triggered check waits for them")
    func checksBeforeCredentials() throws {
        var (a, b, _, candidateB) = try TestAgents.pair()
        try a.setRemoteCredentials(ufrag: "BBBB", pwd: b.localCredentials.pwd)
        a.addRemoteCandidate(candidateB)
        let sim = AgentSimulation([a, b], addresses: [[TestAgents.addressA], [TestAgents.addressB]])
        // B answers A's checks (its own password is all it needs), so A's nomination succeeds.
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected })
        sim.run(for: .seconds(1))
        #expect(sim.state(1) == .checking)
        #expect(sim.agents[1].selectedPair == nil)
        #expect(!sim.sent.contains { $0.from == 1 && $0.stunType == .bindingRequest })
        #expect(sim.agents[1].remoteCandidates.map(\.type) == [.peerReflexive])
        // With the credentials, B's held triggered check runs and completes the nomination.
        try sim.agents[1].setRemoteCredentials(ufrag: "AAAA", pwd: sim.agents[0].localCredentials.pwd)
        sim.agents[1].handleTimeout(at: sim.now)
        #expect(sim.run(maxTime: .seconds(20)) { $0.state(1).isConnected })
        #expect(sim.agents[1].selectedPair?.remoteAddress == TestAgents.addressA)
        #expect(sim.agents[1].candidatePairs.first?.isNominated == true)
    }

    @Test("end-of-candidates moves connected to completed")
    func completes() throws {
        let sim = try TestAgents.connectedSimulation()
        sim.agents[0].endOfRemoteCandidates()
        sim.agents[1].endOfRemoteCandidates()
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0) == .completed && $0.state(1) == .completed })
        #expect(sim.states(0) == [.checking, .connected, .completed])
    }

    @Test("checks carry USERNAME, PRIORITY, role, tie breaker, integrity and fingerprint; responses carry XOR-MAPPED-ADDRESS")
    func checkContents() throws {
        let sim = try TestAgents.connectedSimulation()
        sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected }
        let fromA = try sim.sent.filter { $0.from == 0 }.map { ($0, try STUNMessage(parsing: $0.transmit.bytes)) }
        let fromB = try sim.sent.filter { $0.from == 1 }.map { ($0, try STUNMessage(parsing: $0.transmit.bytes)) }
        let request = try #require(fromA.first { $0.1.type == .bindingRequest })
        #expect(request.1.username == "BBBB:AAAA")
        #expect(request.1.priority == ICECandidate.priority(type: .peerReflexive))
        #expect(request.1.iceControlling == 0x1111_1111_1111_1111)
        #expect(request.1.iceControlled == nil)
        #expect(request.1.attributes.last?.type == .fingerprint)
        #expect(STUNMessage.verifyIntegrity(of: request.0.transmit.bytes, using: .shortTerm(password: sim.agents[1].localCredentials.pwd)))
        #expect(!STUNMessage.verifyIntegrity(of: request.0.transmit.bytes, using: .shortTerm(password: sim.agents[0].localCredentials.pwd)))
        #expect(request.0.transmit.source == TestAgents.addressA)
        #expect(request.0.transmit.destination == TestAgents.addressB)
        // Exactly one nomination from A, to B's address.
        let nominations = fromA.filter { $0.1.useCandidate }
        #expect(nominations.count == 1)
        #expect(nominations.first?.0.transmit.destination == TestAgents.addressB)
        // B's requests are ICE-CONTROLLED and never nominate.
        let requestB = try #require(fromB.first { $0.1.type == .bindingRequest })
        #expect(requestB.1.username == "AAAA:BBBB")
        #expect(requestB.1.iceControlled == 0x2222_2222_2222_2222)
        #expect(!fromB.contains { $0.1.useCandidate })
        // B's answer to A's first request.
        let response = try #require(fromB.first { $0.1.transactionID == request.1.transactionID })
        #expect(response.1.type == .bindingSuccess)
        #expect(response.1.xorMappedAddress == TestAgents.addressA)
        #expect(STUNMessage.verifyIntegrity(of: response.0.transmit.bytes, using: .shortTerm(password: sim.agents[1].localCredentials.pwd)))
        #expect(response.0.transmit.destination == TestAgents.addressA)
    }

    @Test("API misuse is refused with typed errors")
    func apiErrors() throws {
        var agent = TestAgents.agent(.controlling, ufrag: "AAAA", tieBreaker: 1)
        #expect { try agent.addLocalHostCandidate(address: ICETransportAddress(host: "0.0.0.0", port: 1)!) } throws: {
            ($0 as? ICEError)?.code == .invalidAddress
        }
        #expect { try agent.addLocalHostCandidate(address: ICETransportAddress(host: "127.0.0.1", port: 0)!) } throws: {
            ($0 as? ICEError)?.code == .invalidAddress
        }
        let first = try agent.addLocalHostCandidate(address: TestAgents.addressA)
        #expect(try agent.addLocalHostCandidate(address: TestAgents.addressA) == first)
        #expect(first.type == .host)
        #expect(first.ufrag == "AAAA")
        #expect(first.priority == ICECandidate.priority(type: .host))
        let second = try agent.addLocalHostCandidate(address: ICETransportAddress(host: "::1", port: 40001)!)
        #expect(second.priority < first.priority)
        #expect(second.foundation != first.foundation)
        #expect { try agent.setRemoteCredentials(ufrag: "", pwd: "x") } throws: { ($0 as? ICEError)?.code == .invalidCredentials }
        try agent.setRemoteCredentials(ufrag: "BBBB", pwd: "pwd-pwd-pwd-pwd-pwd-pwd")
        try agent.setRemoteCredentials(ufrag: "BBBB", pwd: "pwd-pwd-pwd-pwd-pwd-pwd")
        #expect { try agent.setRemoteCredentials(ufrag: "CCCC", pwd: "pwd-pwd-pwd-pwd-pwd-pwd") } throws: {
            ($0 as? ICEError)?.code == .iceRestartNotSupported
        }
        var small = ICEConfiguration()
        small.maxLocalCandidates = 1
        var limited = TestAgents.agent(.controlled, ufrag: "CCCC", tieBreaker: 2, configuration: small)
        try limited.addLocalHostCandidate(address: TestAgents.addressA)
        #expect { try limited.addLocalHostCandidate(address: TestAgents.addressB) } throws: {
            ($0 as? ICEError)?.code == .tooManyCandidates
        }
    }

    @Test("close() stops all output and reports closed")
    func close() throws {
        let sim = try TestAgents.connectedSimulation()
        sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected }
        sim.agents[0].close()
        #expect(sim.agents[0].connectionState == .closed)
        #expect(sim.agents[0].nextTimeout() == nil)
        #expect(sim.agents[0].pollTransmit() == nil)
        var sawClosed = false
        while let event = sim.agents[0].pollEvent() { sawClosed = sawClosed || event == .connectionStateChanged(.closed) }
        #expect(sawClosed)
        sim.agents[0].handleTimeout(at: sim.now + .seconds(10))
        #expect(sim.agents[0].pollTransmit() == nil)
        #expect { try sim.agents[0].addLocalHostCandidate(address: TestAgents.addressB) } throws: { ($0 as? ICEError)?.code == .closed }
    }
}

extension ICEAgent {
    /// No role conflict was seen.
    var roleConflictFree: Bool { statistics.roleConflicts == 0 }
}
