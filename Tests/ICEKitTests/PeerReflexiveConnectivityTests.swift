import ICEKit
import Testing

@Suite("ICE agent: connectivity from peer-reflexive candidates alone")
struct PeerReflexiveConnectivityTests {
    /// Credentials on both sides; candidates only as the arguments say.
    func simulation(aLearnsB: Bool, bLearnsA: Bool) throws -> AgentSimulation {
        var (a, b, candidateA, candidateB) = try TestAgents.pair()
        try a.setRemoteCredentials(ufrag: "BBBB", pwd: b.localCredentials.pwd)
        try b.setRemoteCredentials(ufrag: "AAAA", pwd: a.localCredentials.pwd)
        if aLearnsB { a.addRemoteCandidate(candidateB) }
        if bLearnsA { b.addRemoteCandidate(candidateA) }
        return AgentSimulation([a, b], addresses: [[TestAgents.addressA], [TestAgents.addressB]])
    }

    @Test("the controlled side never gets the controlling side's candidates, only its checks")
    func controlledLearnsFromChecks() throws {
        let sim = try simulation(aLearnsB: true, bLearnsA: false)
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        let b = try #require(sim.agents[1].selectedPair)
        #expect(b.remote.type == .peerReflexive)
        #expect(b.remoteAddress == TestAgents.addressA)
        // The peer-reflexive candidate takes its priority from the check's PRIORITY.
        #expect(b.remote.priority == ICECandidate.priority(type: .peerReflexive))
        #expect(sim.agents[0].selectedPair?.remoteAddress == TestAgents.addressB)
        #expect(sim.agents[1].remoteCandidates.map(\.type) == [.peerReflexive])
    }

    @Test("the controlling side never gets the controlled side's candidates, only its checks")
    func controllingLearnsFromChecks() throws {
        let sim = try simulation(aLearnsB: false, bLearnsA: true)
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        let a = try #require(sim.agents[0].selectedPair)
        #expect(a.remote.type == .peerReflexive)
        #expect(a.remoteAddress == TestAgents.addressB)
        #expect(sim.agents[1].selectedPair?.remoteAddress == TestAgents.addressA)
    }

    @Test("a signalled candidate that arrives later replaces the peer-reflexive one for the same address")
    func signalledReplacesPeerReflexive() throws {
        let sim = try simulation(aLearnsB: true, bLearnsA: false)
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        let hostA = try #require(sim.agents[0].localCandidates.first)
        sim.agents[1].addRemoteCandidate(hostA)
        #expect(sim.agents[1].remoteCandidates.map(\.type) == [.host])
        #expect(sim.agents[1].selectedPair?.remote == hostA)
    }

    @Test("a mapped address unknown to the agent becomes a local peer-reflexive candidate")
    func localPeerReflexive() throws {
        // B answers A's checks; a NAT-like rewrite makes B see A's checks coming from another port.
        var (a, b, _, candidateB) = try TestAgents.pair()
        try a.setRemoteCredentials(ufrag: "BBBB", pwd: b.localCredentials.pwd)
        try b.setRemoteCredentials(ufrag: "AAAA", pwd: a.localCredentials.pwd)
        a.addRemoteCandidate(candidateB)
        let start = ContinuousClock.now
        a.handleTimeout(at: start)
        b.handleTimeout(at: start)
        let checkPolled = a.pollTransmit()
        let check = try #require(checkPolled)
        let mappedA = ICETransportAddress(host: "127.0.0.1", port: 50555)!
        b.handle(datagram: check.bytes, from: mappedA, to: check.destination, at: start)
        let responsePolled = b.pollTransmit()
        let response = try #require(responsePolled)
        #expect(try STUNMessage(parsing: response.bytes).xorMappedAddress == mappedA)
        // The response travels back through the "NAT" to A's real socket.
        a.handle(datagram: response.bytes, from: response.source, to: check.source, at: start + .milliseconds(5))
        let discovered = a.localCandidates.filter { $0.type == .peerReflexive }
        #expect(discovered.map(\.transportAddress) == [mappedA])
        #expect(discovered.first?.relatedAddress == .ip(TestAgents.addressA))
        #expect(discovered.first?.priority == ICECandidate.priority(type: .peerReflexive))
        let pair = try #require(a.candidatePairs.first)
        #expect(pair.state == .succeeded)
        #expect(pair.pair.local.type == .peerReflexive)
        #expect(pair.pair.localBase == TestAgents.addressA)
    }
}
