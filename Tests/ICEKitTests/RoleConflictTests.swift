import ICEKit
import Testing

@Suite("ICE agent: role conflicts are resolved by tie breakers (RFC 8445 7.3.1.1, 7.2.5.1)")
struct RoleConflictTests {
    @Test("both start controlling: the smaller tie breaker switches to controlled, and they connect", arguments: [
        (UInt64(0x1000), UInt64(0x2000)),
        (UInt64(0x2000), UInt64(0x1000)),
    ])
    func bothControlling(tieBreakerA: UInt64, tieBreakerB: UInt64) throws {
        let sim = try TestAgents.connectedSimulation(roleA: .controlling, roleB: .controlling, tieBreakerA: tieBreakerA, tieBreakerB: tieBreakerB)
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        let winner = tieBreakerA > tieBreakerB ? 0 : 1
        #expect(sim.agents[winner].role == .controlling)
        #expect(sim.agents[1 - winner].role == .controlled)
        #expect(sim.agents[0].statistics.roleConflicts + sim.agents[1].statistics.roleConflicts > 0)
        #expect(sim.agents[0].selectedPair?.remoteAddress == TestAgents.addressB)
        #expect(sim.agents[1].selectedPair?.remoteAddress == TestAgents.addressA)
    }

    @Test("both start controlled: the larger tie breaker switches to controlling, and they connect", arguments: [
        (UInt64(0x1000), UInt64(0x2000)),
        (UInt64(0x2000), UInt64(0x1000)),
    ])
    func bothControlled(tieBreakerA: UInt64, tieBreakerB: UInt64) throws {
        let sim = try TestAgents.connectedSimulation(roleA: .controlled, roleB: .controlled, tieBreakerA: tieBreakerA, tieBreakerB: tieBreakerB)
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        let winner = tieBreakerA > tieBreakerB ? 0 : 1
        #expect(sim.agents[winner].role == .controlling)
        #expect(sim.agents[1 - winner].role == .controlled)
    }

    @Test("a controlling agent with the larger tie breaker answers a conflicting request with 487 and keeps its role")
    func answers487() throws {
        var agent = TestAgents.agent(.controlling, ufrag: "AAAA", tieBreaker: 0x9000)
        try agent.addLocalHostCandidate(address: TestAgents.addressA)
        let request = STUNMessage(type: .bindingRequest, transactionID: .random(), attributes: [
            .username("AAAA:BBBB"), .priority(1_000), .iceControlling(0x1000),
        ]).serialized(integrity: .shortTerm(password: agent.localCredentials.pwd), fingerprint: true)
        agent.handle(datagram: request, from: TestAgents.addressB, to: TestAgents.addressA, at: .now)
        let replyPolled = agent.pollTransmit()
        let reply = try #require(replyPolled)
        let message = try STUNMessage(parsing: reply.bytes)
        #expect(message.type == .bindingError)
        #expect(message.errorCode?.code == 487)
        #expect(STUNMessage.verifyIntegrity(of: reply.bytes, using: .shortTerm(password: agent.localCredentials.pwd)))
        #expect(agent.role == .controlling)
        // No peer-reflexive candidate is learned from a refused request.
        #expect(agent.remoteCandidates.isEmpty)
    }

    @Test("a controlling agent with the smaller tie breaker switches to controlled and answers with success")
    func switchesOnRequest() throws {
        var agent = TestAgents.agent(.controlling, ufrag: "AAAA", tieBreaker: 0x1000)
        try agent.addLocalHostCandidate(address: TestAgents.addressA)
        let request = STUNMessage(type: .bindingRequest, transactionID: .random(), attributes: [
            .username("AAAA:BBBB"), .priority(1_000), .iceControlling(0x9000),
        ]).serialized(integrity: .shortTerm(password: agent.localCredentials.pwd), fingerprint: true)
        agent.handle(datagram: request, from: TestAgents.addressB, to: TestAgents.addressA, at: .now)
        let replyPolled = agent.pollTransmit()
        let reply = try #require(replyPolled)
        #expect(try STUNMessage(parsing: reply.bytes).type == .bindingSuccess)
        #expect(agent.role == .controlled)
        #expect(agent.remoteCandidates.map(\.type) == [.peerReflexive])
    }
}
