import Benchmark
import WebRTC

// Whole calls between two PeerConnections over UDP on 127.0.0.1 (real ICE,
// DTLS, SRTP, VP8 encoding and decoding), measured on one clock:
// - setup: from createOffer to the first decoded frame, with the moments ICE
//   and DTLS connected as custom metrics;
// - glass to glass: from the moment each 320x240 test-pattern frame is made
//   (its frame number identifies it when decoded) to the moment the receiver
//   has decoded it, at 30 fps.

let benchmarks: @Sendable () -> Void = {
    let iceConnected = BenchmarkMetric.custom("ICE connected (ms)", useScalingFactor: false)
    let dtlsConnected = BenchmarkMetric.custom("DTLS connected (ms)", useScalingFactor: false)
    let firstFrame = BenchmarkMetric.custom("First frame decoded (ms)", useScalingFactor: false)
    let glassToGlass = BenchmarkMetric.custom("Glass to glass (µs)", useScalingFactor: false)
    let glassToGlassP95 = BenchmarkMetric.custom("Glass to glass, the call's p95 (µs)", useScalingFactor: false)
    let encode = BenchmarkMetric.custom("Encode and hand-off (µs)", useScalingFactor: false)

    Benchmark(
        "Call setup, Swift to Swift on 127.0.0.1: createOffer to first decoded frame",
        configuration: .init(
            metrics: [.wallClock, iceConnected, dtlsConnected, firstFrame], timeUnits: .milliseconds,
            warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 20)
    ) { benchmark in
        do {
            let call = try await LoopbackCall()
            benchmark.startMeasurement()
            let milestones = try await call.run(frames: 1)
            benchmark.stopMeasurement()
            if let ice = milestones.iceConnected { benchmark.measurement(iceConnected, Int(ice / .milliseconds(1))) }
            if let dtls = milestones.connected { benchmark.measurement(dtlsConnected, Int(dtls / .milliseconds(1))) }
            if let frame = milestones.firstFrameDecoded { benchmark.measurement(firstFrame, Int(frame / .milliseconds(1))) }
        } catch {
            benchmark.error("the call failed: \(error)")
        }
    }

    Benchmark(
        "Glass to glass, Swift to Swift on 127.0.0.1 at 30 fps: test pattern made to frame decoded",
        configuration: .init(
            metrics: [glassToGlass, glassToGlassP95, encode], timeUnits: .microseconds, warmupIterations: 0, maxDuration: .seconds(30),
            maxIterations: 3)
    ) { benchmark in
        do {
            let call = try await LoopbackCall()
            // 150 frames (5 s) a call; the first 30 (the start-up) are left out.
            let milestones = try await call.run(frames: 150)
            let latencies = milestones.glassToGlass.dropFirst(30).map { Int($0 / .microseconds(1)) }
            for latency in latencies { benchmark.measurement(glassToGlass, latency) }
            let sorted = latencies.sorted()
            if !sorted.isEmpty { benchmark.measurement(glassToGlassP95, sorted[sorted.count * 95 / 100]) }
            for duration in milestones.encodeAndHandOff.dropFirst(30) {
                benchmark.measurement(encode, Int(duration / .microseconds(1)))
            }
        } catch {
            benchmark.error("the call failed: \(error)")
        }
    }
}
