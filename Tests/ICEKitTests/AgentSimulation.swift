import ICEKit

/// Two (or more) ICE agents wired together in-process on virtual time.
///
/// Each step advances the clock to the earliest of the agents' `nextTimeout()`
/// and the next datagram delivery, delivers what is due, and lets every agent
/// handle the timeout. Datagrams are routed by destination address to the
/// agent that owns it; `shouldDrop` models loss.
final class AgentSimulation {
    struct Sent {
        var at: ContinuousClock.Instant
        var from: Int
        var transmit: ICETransmit
        var dropped: Bool

        /// The STUN message type of the datagram, nil if it does not parse.
        var stunType: STUNMessageType? { (try? STUNMessage(parsing: transmit.bytes))?.type }
    }

    var agents: [ICEAgent]
    /// The local socket addresses of each agent.
    var addresses: [[ICETransportAddress]]
    let start: ContinuousClock.Instant
    private(set) var now: ContinuousClock.Instant
    var latency: Duration = .milliseconds(10)
    /// Decides per datagram whether the network loses it.
    var shouldDrop: (_ from: Int, _ transmit: ICETransmit, _ now: ContinuousClock.Instant) -> Bool = { _, _, _ in false }
    /// Every event each agent emitted, with the time it was read.
    private(set) var events: [[(at: ContinuousClock.Instant, event: ICEEvent)]]
    /// Every datagram sent.
    private(set) var sent: [Sent] = []
    /// When each agent last received a datagram.
    private(set) var lastDelivery: [ContinuousClock.Instant?]
    private var inFlight: [(at: ContinuousClock.Instant, to: Int, transmit: ICETransmit)] = []

    init(_ agents: [ICEAgent], addresses: [[ICETransportAddress]]) {
        self.agents = agents
        self.addresses = addresses
        start = ContinuousClock.now
        now = start
        events = Array(repeating: [], count: agents.count)
        lastDelivery = Array(repeating: nil, count: agents.count)
        for index in agents.indices { self.agents[index].handleTimeout(at: now) }
    }

    /// Virtual time since the start.
    var elapsed: Duration { now - start }

    func state(_ agent: Int) -> ICEConnectionState { agents[agent].connectionState }

    /// The states agent `index` went through, in order.
    func states(_ index: Int) -> [ICEConnectionState] {
        events[index].compactMap { if case .connectionStateChanged(let state) = $0.event { state } else { nil } }
    }

    /// When agent `index` first entered `state`.
    func time(_ index: Int, enteredState state: ICEConnectionState) -> ContinuousClock.Instant? {
        events[index].first { $0.event == .connectionStateChanged(state) }?.at
    }

    /// Moves outputs into the network and the event logs.
    private func pump() {
        for index in agents.indices {
            while let transmit = agents[index].pollTransmit() {
                let dropped = shouldDrop(index, transmit, now)
                sent.append(Sent(at: now, from: index, transmit: transmit, dropped: dropped))
                guard !dropped, let target = addresses.firstIndex(where: { $0.contains(transmit.destination) }) else { continue }
                inFlight.append((now + latency, target, transmit))
            }
            while let event = agents[index].pollEvent() {
                events[index].append((now, event))
            }
        }
    }

    /// Runs until `condition` holds, nothing is scheduled, `maxTime` of
    /// virtual time passes, or `maxSteps` steps are taken. Returns whether the
    /// condition held.
    @discardableResult
    func run(maxTime: Duration = .seconds(60), maxSteps: Int = 20_000, until condition: (AgentSimulation) -> Bool) -> Bool {
        for _ in 0..<maxSteps {
            pump()
            if condition(self) { return true }
            var next = inFlight.map(\.at).min()
            for agent in agents {
                if let timeout = agent.nextTimeout(), next.map({ timeout < $0 }) ?? true { next = timeout }
            }
            guard let next else { return false }
            if next > now { now = next }
            if now - start > maxTime { return false }
            let due = inFlight.filter { $0.at <= now }
            inFlight.removeAll { $0.at <= now }
            for delivery in due {
                lastDelivery[delivery.to] = now
                agents[delivery.to].handle(datagram: delivery.transmit.bytes, from: delivery.transmit.source, to: delivery.transmit.destination, at: now)
            }
            for index in agents.indices { agents[index].handleTimeout(at: now) }
        }
        pump()
        return condition(self)
    }

    /// Runs for `duration` of virtual time regardless of conditions.
    func run(for duration: Duration) {
        let end = now + duration
        run(maxTime: end - start, until: { $0.now >= end })
    }
}

/// Loopback addresses and agents for the tests.
enum TestAgents {
    static let addressA = ICETransportAddress(host: "127.0.0.1", port: 40001)!
    static let addressB = ICETransportAddress(host: "127.0.0.1", port: 40002)!

    static func agent(_ role: ICERole, ufrag: String, tieBreaker: UInt64, configuration: ICEConfiguration = ICEConfiguration()) -> ICEAgent {
        ICEAgent(
            role: role,
            credentials: ICECredentials(ufrag: ufrag, pwd: ufrag + "-password-0123456789abcdef"),
            tieBreaker: tieBreaker,
            configuration: configuration
        )
    }

    /// A controlling A and controlled B with one host candidate each; the
    /// caller decides what each side learns of the other.
    static func pair(
        roleA: ICERole = .controlling,
        roleB: ICERole = .controlled,
        tieBreakerA: UInt64 = 0x1111_1111_1111_1111,
        tieBreakerB: UInt64 = 0x2222_2222_2222_2222,
        configuration: ICEConfiguration = ICEConfiguration()
    ) throws -> (a: ICEAgent, b: ICEAgent, candidateA: ICECandidate, candidateB: ICECandidate) {
        var a = agent(roleA, ufrag: "AAAA", tieBreaker: tieBreakerA, configuration: configuration)
        var b = agent(roleB, ufrag: "BBBB", tieBreaker: tieBreakerB, configuration: configuration)
        let candidateA = try a.addLocalHostCandidate(address: addressA)
        let candidateB = try b.addLocalHostCandidate(address: addressB)
        return (a, b, candidateA, candidateB)
    }

    /// Both sides know each other's credentials and candidates.
    static func connectedSimulation(
        roleA: ICERole = .controlling,
        roleB: ICERole = .controlled,
        tieBreakerA: UInt64 = 0x1111_1111_1111_1111,
        tieBreakerB: UInt64 = 0x2222_2222_2222_2222,
        configuration: ICEConfiguration = ICEConfiguration()
    ) throws -> AgentSimulation {
        var (a, b, candidateA, candidateB) = try pair(roleA: roleA, roleB: roleB, tieBreakerA: tieBreakerA, tieBreakerB: tieBreakerB, configuration: configuration)
        try a.setRemoteCredentials(ufrag: b.localCredentials.ufrag, pwd: b.localCredentials.pwd)
        try b.setRemoteCredentials(ufrag: a.localCredentials.ufrag, pwd: a.localCredentials.pwd)
        a.addRemoteCandidate(candidateB)
        b.addRemoteCandidate(candidateA)
        return AgentSimulation([a, b], addresses: [[addressA], [addressB]])
    }
}

extension ICEConnectionState {
    /// Connected or completed: a pair is selected and consent is fresh.
    var isConnected: Bool { self == .connected || self == .completed }
}
