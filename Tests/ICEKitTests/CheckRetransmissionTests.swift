import ICEKit
import Testing

@Suite("ICE agent: connectivity checks are retransmitted with a doubling timeout")
struct CheckRetransmissionTests {
    @Test("losing the first checks of both sides is recovered by retransmission", arguments: [1, 2, 4])
    func lossRecovered(lost: Int) throws {
        let sim = try TestAgents.connectedSimulation()
        var lostSoFar = [0, 0]
        sim.shouldDrop = { from, transmit, _ in
            guard (try? STUNMessage(parsing: transmit.bytes))?.type == .bindingRequest, lostSoFar[from] < lost else { return false }
            lostSoFar[from] += 1
            return true
        }
        #expect(sim.run(maxTime: .seconds(30)) { $0.state(0).isConnected && $0.state(1).isConnected })
        #expect(lostSoFar == [lost, lost])
        // The same transaction was sent more than once.
        let ids = try sim.sent.filter { $0.from == 0 }.map { try STUNMessage(parsing: $0.transmit.bytes) }
            .filter { $0.type == .bindingRequest }.map(\.transactionID)
        #expect(Set(ids).count < ids.count)
        #expect(sim.agents[0].selectedPair?.remoteAddress == TestAgents.addressB)
    }

    @Test("an unreachable peer: 7 sends at 0, 250, 750, 1750, 3750, 6750, 9750 ms, then failed at 12.75 s after end-of-candidates")
    func unreachableFails() throws {
        var (a, b, _, candidateB) = try TestAgents.pair()
        try a.setRemoteCredentials(ufrag: "BBBB", pwd: b.localCredentials.pwd)
        a.addRemoteCandidate(candidateB)
        a.endOfRemoteCandidates()
        _ = b
        let sim = AgentSimulation([a], addresses: [[TestAgents.addressA]])
        #expect(sim.run(maxTime: .seconds(60)) { $0.state(0) == .failed })
        let sends = sim.sent.map { $0.at - sim.start }
        #expect(sends == [0, 250, 750, 1750, 3750, 6750, 9750].map { Duration.milliseconds($0) })
        let ids = Set(try sim.sent.map { try STUNMessage(parsing: $0.transmit.bytes).transactionID })
        #expect(ids.count == 1)
        #expect(sim.time(0, enteredState: .failed).map { $0 - sim.start } == .milliseconds(12_750))
        #expect(sim.states(0) == [.checking, .failed])
        #expect(sim.agents[0].candidatePairs.map(\.state) == [.failed])
        #expect(sim.agents[0].nextTimeout() == nil)
    }

    @Test("without end-of-candidates, checking gives up after the checking timeout")
    func checkingTimeout() throws {
        var (a, b, _, candidateB) = try TestAgents.pair()
        try a.setRemoteCredentials(ufrag: "BBBB", pwd: b.localCredentials.pwd)
        a.addRemoteCandidate(candidateB)
        let sim = AgentSimulation([a], addresses: [[TestAgents.addressA]])
        #expect(sim.run(maxTime: .seconds(120)) { $0.state(0) == .failed })
        #expect(sim.time(0, enteredState: .failed).map { $0 - sim.start } == .seconds(30))
    }
}
