import CongestionControl
import Foundation
import Testing

/// RFC 8867's variable-capacity scenario (section 5.1, one flow): a
/// bottleneck of 1 Mbit/s, then 2.5, 0.5 and 1 Mbit/s, for 40, 20, 20 and 20 s,
/// 50 ms one way, a 300 ms drop-tail queue, feedback every 50 ms.
@Suite("RFC 8867 variable capacity, one flow, on virtual time")
struct VariableCapacityTests {
    static func capacity(at time: Duration) -> Double {
        switch time {
        case ..<Duration.seconds(40): 1_000_000
        case ..<Duration.seconds(60): 2_500_000
        case ..<Duration.seconds(80): 500_000
        default: 1_000_000
        }
    }

    static func run() -> CongestionSimulation {
        var simulation = CongestionSimulation(capacity: capacity)
        // The encoder could send more than the widest phase: the estimate, not a cap, must find it.
        simulation.estimator = SendSideBandwidthEstimator(configuration: .init(maximumBitrate: 4_000_000))
        simulation.run(for: .seconds(100))
        return simulation
    }

    /// When the received bitrate first reaches `fraction` of the capacity at or after `start`.
    static func reached(_ fraction: Double, after start: Duration, in simulation: CongestionSimulation) -> Duration? {
        simulation.samples(from: start, to: .seconds(100)).first { $0.received >= fraction * $0.capacity }.map { $0.time - start }
    }

    @Test("utilisation over the whole run is at least 85%, and at most 100%")
    func utilisation() {
        let simulation = Self.run()
        let utilisation = simulation.utilisation(from: .zero, to: .seconds(100))
        #expect(utilisation >= 0.85 && utilisation <= 1.0, "utilisation \(utilisation)")
    }

    @Test("from the 300 kbit/s start the sender uses 90% of the first 1 Mbit/s within 3 s, and 90% of each step up within 5 s")
    func rampUp() throws {
        let simulation = Self.run()
        for (start, limit) in [(Duration.zero, Duration.seconds(3)), (.seconds(40), .seconds(5)), (.seconds(80), .seconds(5))] {
            let reached = try #require(Self.reached(0.9, after: start, in: simulation), "never reached 90% after \(start)")
            #expect(reached <= limit, "90% of the capacity from \(start) after \(reached)")
        }
    }

    @Test("after the step down to 0.5 Mbit/s the target is under capacity within 2 s; in that phase p95 queue delay is at most 150 ms, and at most 2% of what is sent after the reaction is lost")
    func stepDown() throws {
        let simulation = Self.run()
        let under = try #require(simulation.samples(from: .seconds(60), to: .seconds(80)).first { $0.target < 500_000 })
        #expect(under.time - .seconds(60) <= .seconds(2))
        let p95 = simulation.queueDelayP95(from: .seconds(60), to: .seconds(80))
        #expect(p95 <= .milliseconds(150), "p95 queue delay \(p95)")
        // What left before the sender could know (the full 300 ms queue delays
        // the very feedback that reports it) is lost whatever the estimator does.
        let loss = simulation.lossFraction(from: under.time, to: .seconds(80))
        #expect(loss <= 0.02, "loss after the reaction \(loss)")
    }

    @Test("the run's time series is written as CSV and as an SVG chart (to CONGESTION_PLOT_DIR when set)")
    func plot() throws {
        let simulation = Self.run()
        let directory = ProcessInfo.processInfo.environment["CONGESTION_PLOT_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("swift-webrtc-congestion").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var csv = "time_s,capacity_kbps,target_kbps,sent_kbps,received_kbps,queue_delay_ms\n"
        for sample in simulation.samples {
            csv += [sample.time.seconds, sample.capacity / 1_000, sample.target / 1_000, sample.sent / 1_000, sample.received / 1_000,
                    sample.queueDelay.seconds * 1_000].map(SVGPlot.f).joined(separator: ",") + "\n"
        }
        let csvPath = directory + "/variable-capacity.csv"
        try csv.write(toFile: csvPath, atomically: true, encoding: .utf8)
        func line(_ name: String, _ color: String, _ value: (CongestionSimulation.Sample) -> Double) -> SVGPlot.Series {
            SVGPlot.Series(name: name, color: color, values: simulation.samples.map { ($0.time.seconds, value($0)) })
        }
        var rates = SVGPlot(title: "RFC 8867 variable capacity: rates", xLabel: "time (s)", yLabel: "kbit/s")
        rates.series = [
            line("capacity", "#000", { $0.capacity / 1_000 }), line("target", "#d62728", { $0.target / 1_000 }),
            line("received", "#1f77b4", { $0.received / 1_000 }),
        ]
        var queue = SVGPlot(title: "RFC 8867 variable capacity: queue delay at the bottleneck", xLabel: "time (s)", yLabel: "ms")
        queue.height = 220
        queue.series = [line("queue delay", "#2ca02c", { $0.queueDelay.seconds * 1_000 })]
        try rates.render().write(toFile: directory + "/variable-capacity-rates.svg", atomically: true, encoding: .utf8)
        try queue.render().write(toFile: directory + "/variable-capacity-queue.svg", atomically: true, encoding: .utf8)
        let written = try String(contentsOfFile: csvPath, encoding: .utf8).split(separator: "\n")
        #expect(written.count == simulation.samples.count + 1)
        #expect(simulation.samples.count >= 990, "a sample every 100 ms for 100 s")
    }
}
