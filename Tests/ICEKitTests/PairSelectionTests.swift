import ICEKit
import Testing

@Suite("ICE agent: with several candidates both sides select the same, best pair")
struct PairSelectionTests {
    static let a6 = ICETransportAddress(host: "::1", port: 40001)!
    static let b6 = ICETransportAddress(host: "::1", port: 40002)!
    static let deadB = ICETransportAddress(host: "127.0.0.1", port: 40099)!

    func simulation(deadPriority: UInt32 = ICECandidate.priority(type: .host, localPreference: 100)) throws -> AgentSimulation {
        var (a, b, a4, b4) = try TestAgents.pair()
        let a6 = try a.addLocalHostCandidate(address: Self.a6)
        let b6 = try b.addLocalHostCandidate(address: Self.b6)
        try a.setRemoteCredentials(ufrag: "BBBB", pwd: b.localCredentials.pwd)
        try b.setRemoteCredentials(ufrag: "AAAA", pwd: a.localCredentials.pwd)
        // A candidate nobody listens on: its pair fails without harm.
        let dead = ICECandidate(foundation: "99", priority: deadPriority, address: .ip(Self.deadB), type: .host)
        for candidate in [b6, dead, b4] { a.addRemoteCandidate(candidate) }
        for candidate in [a6, a4] { b.addRemoteCandidate(candidate) }
        return AgentSimulation([a, b], addresses: [[TestAgents.addressA, Self.a6], [TestAgents.addressB, Self.b6]])
    }

    @Test("pairs form per address family and the highest-priority one is selected by both")
    func bestPair() throws {
        let sim = try simulation()
        #expect(sim.agents[0].candidatePairs.count == 3)
        #expect(sim.agents[0].candidatePairs.first?.pair.remoteAddress == TestAgents.addressB)
        #expect(sim.run(maxTime: .seconds(30)) { $0.state(0).isConnected && $0.state(1).isConnected })
        #expect(sim.agents[0].selectedPair?.localBase == TestAgents.addressA)
        #expect(sim.agents[0].selectedPair?.remoteAddress == TestAgents.addressB)
        #expect(sim.agents[1].selectedPair?.remoteAddress == TestAgents.addressA)
    }

    @Test("the controlling side waits for a pending higher-priority pair before it nominates")
    func waitsForBetterPair() throws {
        let sim = try simulation()
        var droppedOne = false
        sim.shouldDrop = { from, transmit, _ in
            // Lose A's first check on the IPv4 pair so the IPv6 pair succeeds first.
            if from == 0, !droppedOne, transmit.destination == TestAgents.addressB, (try? STUNMessage(parsing: transmit.bytes))?.type == .bindingRequest {
                droppedOne = true
                return true
            }
            return false
        }
        #expect(sim.run(maxTime: .seconds(30)) { $0.state(0).isConnected && $0.state(1).isConnected })
        #expect(droppedOne)
        #expect(sim.agents[0].selectedPair?.remoteAddress == TestAgents.addressB)
        #expect(sim.agents[1].selectedPair?.remoteAddress == TestAgents.addressA)
        // Only one pair was nominated.
        let nominations = sim.sent.filter { $0.from == 0 && ((try? STUNMessage(parsing: $0.transmit.bytes))?.useCandidate ?? false) }
        #expect(nominations.count == 1)
    }

    @Test("a higher-priority pair nobody answers delays nomination by the nomination delay, then fails")
    func deadCandidateFails() throws {
        let sim = try simulation(deadPriority: 0x7FFF_FFFF)
        sim.agents[0].endOfRemoteCandidates()
        #expect(sim.agents[0].candidatePairs.first?.pair.remoteAddress == Self.deadB)
        #expect(sim.run(maxTime: .seconds(60)) { sim in
            sim.state(0) == .completed && sim.agents[0].candidatePairs.contains { $0.pair.remoteAddress == Self.deadB && $0.state == .failed }
        })
        #expect(sim.agents[0].selectedPair?.remoteAddress == TestAgents.addressB)
        // The first valid pair came back after one round trip; nomination waited 500 ms for the dead pair.
        let firstSuccess = try #require(sim.sent.first { $0.from == 1 && $0.stunType == .bindingSuccess }).at + sim.latency
        let nomination = try #require(sim.sent.first { $0.from == 0 && ((try? STUNMessage(parsing: $0.transmit.bytes))?.useCandidate ?? false) })
        #expect(nomination.at - firstSuccess >= .milliseconds(500))
        #expect(nomination.at - firstSuccess < .milliseconds(600))
        // The dead pair failed after its last retransmission, 12.75 s after its first check.
        let deadSends = sim.sent.filter { $0.transmit.destination == Self.deadB }
        #expect(deadSends.count == 7)
        #expect(sim.state(0) == .completed)
    }
}
