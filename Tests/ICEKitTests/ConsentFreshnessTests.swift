import ICEKit
import Testing

@Suite("ICE agent: consent freshness on the selected pair (RFC 7675)")
struct ConsentFreshnessTests {
    /// When agent `to` last received a success response that the network delivered.
    func lastResponse(in sim: AgentSimulation, to agent: Int) -> ContinuousClock.Instant? {
        sim.sent.last { sent in
            !sent.dropped && sent.from != agent && sent.stunType == .bindingSuccess
        }.map { $0.at + sim.latency }
    }

    @Test("consent requests go out every 2 to 3 seconds on the selected pair and keep the state connected")
    func keepalives() throws {
        let sim = try TestAgents.connectedSimulation()
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        let connectedAt = sim.now
        sim.run(for: .seconds(60))
        #expect(sim.state(0) == .connected)
        #expect(sim.state(1) == .connected)
        let requests = sim.sent.filter { $0.from == 0 && $0.at > connectedAt && $0.stunType == .bindingRequest }
        #expect(requests.count >= 20)
        for (earlier, later) in zip(requests, requests.dropFirst()) {
            let interval = later.at - earlier.at
            #expect(interval >= .seconds(2) && interval <= .seconds(3))
        }
        #expect(requests.allSatisfy { $0.transmit.source == TestAgents.addressA && $0.transmit.destination == TestAgents.addressB })
        #expect(sim.agents[0].statistics.consentRequestsSent == requests.count)
        #expect(sim.states(0) == [.checking, .connected])
    }

    @Test("when the peer goes silent: disconnected 5 s and failed 30 s after the last response")
    func silentPeer() throws {
        let sim = try TestAgents.connectedSimulation()
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        sim.run(for: .seconds(7))
        let silenceFrom = sim.now
        sim.shouldDrop = { from, _, now in from == 1 && now >= silenceFrom }
        #expect(sim.run(maxTime: .seconds(120)) { $0.state(0) == .failed })
        let last = try #require(lastResponse(in: sim, to: 0))
        #expect(last <= silenceFrom)
        #expect(sim.time(0, enteredState: .disconnected) == last + .seconds(5))
        #expect(sim.time(0, enteredState: .failed) == last + .seconds(30))
        #expect(sim.states(0) == [.checking, .connected, .disconnected, .failed])
        // After consent is lost the agent sends nothing more.
        let failedAt = try #require(sim.time(0, enteredState: .failed))
        #expect(!sim.sent.contains { $0.from == 0 && $0.at > failedAt })
        #expect(sim.agents[0].nextTimeout() == nil)
    }

    @Test("responses that return after a short outage bring the state back to connected")
    func recovers() throws {
        let sim = try TestAgents.connectedSimulation()
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0).isConnected && $0.state(1).isConnected })
        let outageStart = sim.now
        let outageEnd = outageStart + .seconds(12)
        sim.shouldDrop = { _, _, now in now >= outageStart && now < outageEnd }
        sim.run(for: .seconds(25))
        #expect(sim.states(0) == [.checking, .connected, .disconnected, .connected])
        #expect(sim.states(1) == [.checking, .connected, .disconnected, .connected])
        #expect(sim.state(0) == .connected)
        let back = try #require(sim.events[0].last { $0.event == .connectionStateChanged(.connected) }?.at)
        #expect(back >= outageEnd && back <= outageEnd + .seconds(4))
        #expect(sim.agents[0].selectedPair?.remoteAddress == TestAgents.addressB)
    }

    @Test("a completed agent returns to completed, not connected, after an outage")
    func recoversToCompleted() throws {
        let sim = try TestAgents.connectedSimulation()
        sim.agents[0].endOfRemoteCandidates()
        #expect(sim.run(maxTime: .seconds(10)) { $0.state(0) == .completed && $0.state(1).isConnected })
        let outageStart = sim.now
        sim.shouldDrop = { _, _, now in now >= outageStart && now < outageStart + .seconds(8) }
        sim.run(for: .seconds(20))
        #expect(sim.states(0) == [.checking, .connected, .completed, .disconnected, .completed])
    }
}
