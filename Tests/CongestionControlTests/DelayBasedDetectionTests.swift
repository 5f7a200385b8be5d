import CongestionControl
import Testing

/// A sender at a fixed rate through a bottleneck with a queue, on virtual
/// time: each 1200-byte packet leaves the queue one serialisation time after
/// the one before it (or after it reached the queue, if the queue was empty).
struct Bottleneck {
    var capacity: Double  // bits per second
    var baseDelay: Duration = .milliseconds(20)
    var queueFree: Duration = .zero
    var random = 0x1234_5678 as UInt64
    var jitter: Duration = .zero

    mutating func arrival(sentAt send: Duration, size: Int) -> Duration {
        let serialisation = Duration.seconds(Double(size * 8) / capacity)
        let start = max(send, queueFree)
        queueFree = start + serialisation
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        let noise = jitter * (Double(random >> 11) / Double(1 << 53))
        return queueFree + baseDelay + noise
    }
}

/// Runs packets at `rates` (bits per second, one per phase of `phase` length) and returns each group's verdict.
func verdicts(rates: [Double], phase: Duration, capacity: Double, jitter: Duration = .zero) -> [(at: Duration, usage: BandwidthUsage)] {
    var link = Bottleneck(capacity: capacity, jitter: jitter)
    var groups = PacketGroupAccumulator()
    var trend = TrendlineEstimator()
    var detector = OveruseDetector()
    var result: [(Duration, BandwidthUsage)] = []
    var send = Duration.zero
    for (index, rate) in rates.enumerated() {
        let end = phase * (index + 1)
        let interval = Duration.seconds(1_200.0 * 8 / rate)
        while send < end {
            let arrival = link.arrival(sentAt: send, size: 1_200)
            if let delta = groups.add(send: send, arrival: arrival, size: 1_200) {
                let signal = trend.add(delta)
                result.append((send, detector.detect(signal: signal, at: delta.arrival)))
            }
            send += interval
        }
    }
    return result
}

@Suite("Delay-based congestion detection (packet groups, trendline, adaptive threshold)")
struct DelayBasedDetectionTests {
    @Test("sending at 80% of the bottleneck, with 0-2 ms of jitter, is never taken for over-use")
    func underCapacityIsNormal() {
        let results = verdicts(rates: [800_000], phase: .seconds(10), capacity: 1_000_000, jitter: .milliseconds(2))
        #expect(results.count > 100)
        #expect(!results.contains { $0.usage == .overusing })
    }

    @Test("sending at 120% of the bottleneck is detected as over-use within a second, and stays so while the queue grows")
    func overCapacityIsOveruse() throws {
        let results = verdicts(rates: [800_000, 1_200_000], phase: .seconds(3), capacity: 1_000_000)
        let first = try #require(results.first { $0.usage == .overusing && $0.at >= .seconds(3) })
        #expect(first.at - .seconds(3) <= .seconds(1), "over-use seen after \(first.at - .seconds(3))")
        let late = results.filter { $0.at >= .seconds(4.5) }
        #expect(late.allSatisfy { $0.usage == .overusing })
        #expect(!results.contains { $0.usage == .overusing && $0.at < .seconds(3) })
    }

    @Test("when the rate drops below capacity after a queue built up, the draining queue is detected as under-use, then normal once it is empty")
    func drainingIsUnderuse() throws {
        let results = verdicts(rates: [1_300_000, 500_000], phase: .seconds(2), capacity: 1_000_000)
        let draining = results.filter { $0.at >= .seconds(2) && $0.at < .seconds(2.5) }
        #expect(draining.contains { $0.usage == .underusing })
        let afterwards = results.filter { $0.at >= .seconds(3.5) }
        #expect(!afterwards.isEmpty && afterwards.allSatisfy { $0.usage != .overusing })
        #expect(afterwards.last?.usage == .normal)
    }

    @Test("packets sent within 5 ms form one group; the delta between groups is taken between their last packets")
    func grouping() throws {
        var groups = PacketGroupAccumulator()
        #expect(groups.add(send: .zero, arrival: .milliseconds(20), size: 100) == nil)
        #expect(groups.add(send: .milliseconds(2), arrival: .milliseconds(23), size: 100) == nil)
        #expect(groups.add(send: .milliseconds(10), arrival: .milliseconds(31), size: 100) == nil, "the first complete group has no group before it")
        #expect(groups.add(send: .milliseconds(11), arrival: .milliseconds(32), size: 50) == nil)
        let completed = groups.add(send: .milliseconds(30), arrival: .milliseconds(50), size: 100)
        let delta = try #require(completed)
        #expect(delta.sendDelta == .milliseconds(9))
        #expect(delta.arrivalDelta == .milliseconds(9))
        #expect(delta.size == 150)
        #expect(groups.add(send: .milliseconds(1), arrival: .milliseconds(60), size: 10) == nil, "a packet sent before the group began is ignored")
    }

    @Test("a noisy signal of 0-10 ms counts as over-use at most one time in ten; a steady 20 ms (a growing queue) mostly does; after a quiet second the threshold is back near its 6 ms floor; an outlier far above it does not move it; it never leaves 6-600 ms")
    func thresholdAdapts() {
        var detector = OveruseDetector()
        var usages: [BandwidthUsage] = []
        var random: UInt64 = 99
        for step in 0..<300 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let signal = 10 * Double(random >> 11) / Double(1 << 53)
            usages.append(detector.detect(signal: signal, at: .milliseconds(10 * step)))
        }
        let noise = usages.filter { $0 == .overusing }.count
        #expect(noise <= 30, "noise is rarely over-use: \(noise) of 300")
        let noisy = detector.threshold
        #expect(noisy >= 6 && noisy < 12.5, "the threshold settles near the noise: \(noisy)")
        // A steady 20 ms (a queue that keeps growing) is over-use: the threshold rises too slowly to hide it.
        var overuse = 0
        for step in 300..<400 where detector.detect(signal: 20, at: .milliseconds(10 * step)) == .overusing { overuse += 1 }
        #expect(overuse > 50, "a steady trend above the threshold counts: \(overuse) of 100")
        for step in 400..<500 {
            _ = detector.detect(signal: 0, at: .milliseconds(10 * step))
        }
        #expect(detector.threshold < 7, "a quiet second brings it back to the floor: \(detector.threshold)")
        let before = detector.threshold
        _ = detector.detect(signal: 10_000, at: .milliseconds(5_010))
        #expect(detector.threshold == before, "an outlier does not move it")
        for step in 502..<600 {
            _ = detector.detect(signal: 10_000, at: .milliseconds(10 * step))
        }
        #expect(detector.threshold <= 600)
    }
}
