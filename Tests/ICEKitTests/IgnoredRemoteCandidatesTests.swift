import ICEKit
import Testing

@Suite("ICE agent: remote candidates it cannot use are ignored quietly")
struct IgnoredRemoteCandidatesTests {
    @Test(".local host names, TCP, other components, stale ufrags and multicast or broadcast addresses are ignored; checks still connect")
    func ignoredButConnected() throws {
        var (a, b, candidateA, candidateB) = try TestAgents.pair()
        try a.setRemoteCredentials(ufrag: "BBBB", pwd: b.localCredentials.pwd)
        try b.setRemoteCredentials(ufrag: "AAAA", pwd: a.localCredentials.pwd)
        a.addRemoteCandidate(candidateB)
        // What a browser hiding its address would send, plus variants the agent does not check.
        var mdns = candidateA
        mdns.address = .hostname("0f6c7a3e-2b1d-4c5e-8f9a-1b2c3d4e5f60.local", port: candidateA.address.port)
        var tcp = candidateA
        tcp.transport = .tcp
        var rtcp = candidateA
        rtcp.component = 2
        var stale = candidateA
        stale.ufrag = "OLD1"
        // Checks sent there would reach many hosts, or fail the socket's send.
        let unusable = ["255.255.255.255", "224.0.0.251", "239.1.2.3", "ff02::1", "::ffff:224.0.0.251"].map { host in
            var candidate = candidateA
            candidate.address = .ip(ICETransportAddress(host: host, port: 5000)!)
            return candidate
        }
        for candidate in [mdns, tcp, rtcp, stale] + unusable { b.addRemoteCandidate(candidate) }
        #expect(b.remoteCandidates.isEmpty)
        #expect(b.candidatePairs.isEmpty)
        #expect(b.statistics.ignoredRemoteCandidates == 9)
        let sim = AgentSimulation([a, b], addresses: [[TestAgents.addressA], [TestAgents.addressB]])
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        #expect(sim.agents[1].selectedPair?.remote.type == .peerReflexive)
    }

    @Test("held candidates with a stale ufrag are dropped when the credentials arrive")
    func heldStaleUfrag() throws {
        var agent = TestAgents.agent(.controlled, ufrag: "BBBB", tieBreaker: 2)
        try agent.addLocalHostCandidate(address: TestAgents.addressB)
        var stale = ICECandidate(foundation: "1", priority: 100, address: .ip(TestAgents.addressA), type: .host, ufrag: "OLD1")
        agent.addRemoteCandidate(stale)
        stale.ufrag = "AAAA"
        stale.address = .ip(ICETransportAddress(host: "127.0.0.1", port: 40009)!)
        agent.addRemoteCandidate(stale)
        try agent.setRemoteCredentials(ufrag: "AAAA", pwd: "pwd-pwd-pwd-pwd-pwd-pwd")
        #expect(agent.remoteCandidates.map(\.transportAddress) == [ICETransportAddress(host: "127.0.0.1", port: 40009)])
        #expect(agent.statistics.ignoredRemoteCandidates == 1)
    }

    @Test("candidates of another address family or scope are not paired")
    func familiesNotMixed() throws {
        var agent = TestAgents.agent(.controlling, ufrag: "AAAA", tieBreaker: 1)
        try agent.addLocalHostCandidate(address: TestAgents.addressA)
        try agent.setRemoteCredentials(ufrag: "BBBB", pwd: "pwd-pwd-pwd-pwd-pwd-pwd")
        agent.addRemoteCandidate(ICECandidate(foundation: "1", priority: 100, address: .ip(ICETransportAddress(host: "::1", port: 9)!), type: .host))
        agent.addRemoteCandidate(ICECandidate(foundation: "2", priority: 100, address: .ip(ICETransportAddress(host: "192.0.2.7", port: 9)!), type: .host))
        #expect(agent.remoteCandidates.count == 2)
        #expect(agent.candidatePairs.isEmpty)
        agent.addRemoteCandidate(ICECandidate(foundation: "3", priority: 100, address: .ip(ICETransportAddress(host: "127.0.0.1", port: 9)!), type: .host))
        #expect(agent.candidatePairs.count == 1)
        #expect(agent.candidatePairs.first?.state == .waiting)
    }

    @Test("the number of remote candidates is bounded")
    func bounded() throws {
        var configuration = ICEConfiguration()
        configuration.maxRemoteCandidates = 5
        var agent = TestAgents.agent(.controlling, ufrag: "AAAA", tieBreaker: 1, configuration: configuration)
        try agent.addLocalHostCandidate(address: TestAgents.addressA)
        for port in 1...20 {
            agent.addRemoteCandidate(ICECandidate(foundation: "1", priority: 100, address: .ip(ICETransportAddress(host: "127.0.0.1", port: UInt16(port))!), type: .host))
        }
        try agent.setRemoteCredentials(ufrag: "BBBB", pwd: "pwd-pwd-pwd-pwd-pwd-pwd")
        #expect(agent.remoteCandidates.count == 5)
        #expect(agent.statistics.ignoredRemoteCandidates == 15)
    }
}
