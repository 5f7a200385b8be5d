import CongestionControl
import Testing

@Suite("Send-side bandwidth estimation on a simulated bottleneck")
struct BandwidthEstimatorTests {
    @Test("on a steady 1 Mbit/s bottleneck the sender ends up using at least 85% of it, with p95 queue delay under 100 ms and under 1% loss")
    func steadyCapacity() {
        var simulation = CongestionSimulation { _ in 1_000_000 }
        simulation.run(for: .seconds(60))
        let utilisation = simulation.utilisation(from: .seconds(30), to: .seconds(60))
        #expect(utilisation >= 0.85 && utilisation <= 1.0, "utilisation \(utilisation)")
        #expect(simulation.queueDelayP95(from: .seconds(30), to: .seconds(60)) < .milliseconds(100))
        #expect(simulation.lossFraction(from: .seconds(30), to: .seconds(60)) < 0.01)
    }

    @Test("when the capacity drops from 2.5 to 0.5 Mbit/s the target is under it within 2 s; p95 queue delay is then at most 150 ms, and at most 2% is lost after the reaction")
    func stepDown() throws {
        var simulation = CongestionSimulation { $0 < .seconds(40) ? 2_500_000 : 500_000 }
        simulation.estimator = SendSideBandwidthEstimator(configuration: .init(startBitrate: 2_000_000, maximumBitrate: 4_000_000))
        simulation.run(for: .seconds(60))
        let before = simulation.samples(from: .seconds(35), to: .seconds(40))
        #expect(before.allSatisfy { $0.target > 1_500_000 }, "the sender used the wide path before the step")
        let under = try #require(simulation.samples(from: .seconds(40), to: .seconds(60)).first { $0.target < 500_000 })
        #expect(under.time - .seconds(40) <= .seconds(2), "under capacity \(under.time - .seconds(40)) after the step")
        #expect(simulation.queueDelayP95(from: .seconds(40), to: .seconds(60)) <= .milliseconds(150))
        let loss = simulation.lossFraction(from: under.time, to: .seconds(60))
        #expect(loss <= 0.02, "loss after the reaction \(loss)")
    }

    @Test("a sender that uses only 200 kbit/s of a 5 Mbit/s path does not let its estimate run away: it stays at most twice what it sends")
    func applicationLimited() {
        var simulation = CongestionSimulation { _ in 5_000_000 }
        simulation.applicationLimit = 200_000
        simulation.probing = false  // a probe the path carries is proof; here nothing is
        simulation.run(for: .seconds(30))
        let late = simulation.samples(from: .seconds(5), to: .seconds(30))
        #expect(late.allSatisfy { $0.target <= 2 * 200_000 }, "max \(late.map(\.target).max() ?? 0)")
    }

    @Test("20% random loss on a wide path brings the target down; 1% random loss does not")
    func lossBased() {
        var lossy = CongestionSimulation { _ in 10_000_000 }
        lossy.randomLoss = 0.2
        lossy.run(for: .seconds(20))
        #expect(lossy.estimator.targetBitrate < 150_000, "\(lossy.estimator.targetBitrate) at 20% loss")
        #expect(lossy.estimator.lossBasedLimit != nil)
        var light = CongestionSimulation { _ in 10_000_000 }
        light.randomLoss = 0.01
        light.run(for: .seconds(20))
        #expect(light.estimator.targetBitrate > 300_000, "\(light.estimator.targetBitrate) at 1% loss")
        #expect(light.estimator.lossBasedLimit == nil)
    }

    @Test("the acknowledged bitrate is the bytes that arrived within the last 250 ms, and nothing before 150 ms of arrivals")
    func acknowledgedBitrate() throws {
        var estimator = AcknowledgedBitrateEstimator()
        for millisecond in stride(from: 0, to: 100, by: 10) {
            estimator.add(arrival: .milliseconds(millisecond), size: 1_250)
        }
        #expect(estimator.bitrate == nil)
        for millisecond in stride(from: 100, to: 2_000, by: 10) {
            estimator.add(arrival: .milliseconds(millisecond), size: 1_250)
        }
        let rate = try #require(estimator.bitrate)
        #expect(abs(rate - 1_000_000) < 25_000, "1250 bytes every 10 ms is 1 Mbit/s: \(rate)")
    }

    /// Sends the estimator's first probe cluster and reports it arriving with `arrivalSpacing` between packets.
    static func probeOnce(arrivalSpacing: (Duration) -> Duration) throws -> (cluster: ProbeCluster, target: Double) {
        var estimator = SendSideBandwidthEstimator()
        let first = estimator.nextProbe(at: .zero)
        let cluster = try #require(first)
        let spacing = Duration.seconds(1_200.0 * 8 / cluster.bitrate)
        let count = max(cluster.minimumPackets, cluster.minimumBytes / 1_200 + 1)
        var results: [(sequenceNumber: UInt16, arrival: Duration?)] = []
        for index in 0..<count {
            estimator.packetSent(sequenceNumber: UInt16(index), size: 1_200, at: spacing * index, probeCluster: cluster.id)
            results.append((UInt16(index), .milliseconds(20) + arrivalSpacing(spacing) * index))
        }
        estimator.feedbackReceived(results, roundTrip: .milliseconds(50), at: .milliseconds(100))
        return (cluster, estimator.targetBitrate)
    }

    @Test("the first probe goes at 3 times the start; one the path carries at its rate lifts the estimate to that rate, one it spreads to half does not")
    func probing() throws {
        let carried = try Self.probeOnce { $0 }
        #expect(carried.cluster.bitrate == 900_000)
        #expect(carried.cluster.minimumPackets == 5)
        #expect(abs(carried.target - 900_000) < 20_000, "\(carried.target)")
        let spread = try Self.probeOnce { $0 * 2 }
        #expect(spread.target < 320_000, "a path at half the probe's rate is full, not wider: \(spread.target)")
    }

    @Test("the pacing budget holds at most 5 ms at its rate, lets one packet take it below zero, and earns it back over time")
    func pacingBudget() {
        var budget = PacingBudget(rate: 1_000_000)
        budget.refill(at: .zero)
        budget.refill(at: .milliseconds(100))
        #expect(budget.level == 625, "5 ms at 1 Mbit/s, however long it was idle")
        #expect(budget.mayAdvance)
        budget.spend(1_200)
        #expect(!budget.mayAdvance)
        budget.refill(at: .milliseconds(105))
        #expect(budget.level == 50)
        #expect(budget.mayAdvance)
    }
}
