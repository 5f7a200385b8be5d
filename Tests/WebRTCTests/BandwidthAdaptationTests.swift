import Testing
import TestSupport
import WebRTC

/// A whole call through a bottleneck on virtual time: real VP8 and Opus
/// whose bitrates follow the sender's estimate, real DTLS-SRTP, the
/// receiver's transport-wide feedback, and a drop-tail queue.
@Suite("Bandwidth adaptation through a simulated bottleneck")
struct BandwidthAdaptationTests {
    /// A connected call whose offerer sends audio and video through a
    /// bottleneck of `capacity` (each way, 300 ms of queue), with encoders
    /// that follow the estimate.
    static func adaptingCall(capacity: Double, seed: UInt64) throws -> (SimulatedCall, [SimulatedMedia]) {
        var call = try SimulatedCall(
            conditions: SimulatedLinkConditions(delay: .milliseconds(25), bandwidth: capacity), seed: seed,
            offererSends: [.audio, .video])
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        try #require(call.bothConnected)
        var media = try SimulatedMedia(.offerer, startingAt: call.now)
        media.followsEstimate = true
        return (call, [media])
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test("over a 1 Mbit/s bottleneck the sender settles at 80-100% of it on the wire with little loss, video keeps decoding, and the VP8 encoder's output stays within 15% of its target")
    func settlesUnderTheCap() throws {
        let capacity = 1_000_000.0
        var (call, media) = try Self.adaptingCall(capacity: capacity, seed: 91)
        // Ramp-up and settling.
        try SimulatedMedia.run(&call, for: .seconds(10), sending: &media)
        let framesBefore = call.receivedFrames.count
        let droppedBefore = call.network.droppedByQueue
        let wireBefore = call.network.wireBytesDelivered[call.answererAddress] ?? 0
        let outputStart = media[0].videoOutput.count
        let window = Duration.seconds(10)
        try SimulatedMedia.run(&call, for: window, sending: &media)

        let wireBits = Double((call.network.wireBytesDelivered[call.answererAddress] ?? 0) - wireBefore) * 8
        let utilisation = wireBits / Self.seconds(window) / capacity
        let dropped = call.network.droppedByQueue - droppedBefore
        let frames = call.receivedFrames.count - framesBefore
        let output = media[0].videoOutput[outputStart...]
        let producedBits = Double(output.reduce(0) { $0 + $1.bytes } * 8)
        let targetBits = output.reduce(0.0) { $0 + Double($1.bitrate) / 30 }
        let estimate = call.offerer.bandwidthEstimate
        print("measured: simulated 1 Mbit/s bottleneck, last 10 s of 20: \(Int(utilisation * 100))% used on the wire, \(dropped) packets dropped by the queue, \(frames) frames decoded, VP8 produced \(Int(producedBits / 10_000)) kbit/s for a target of \(Int(targetBits / 10_000)) kbit/s, estimate \(Int(estimate.targetBitrate / 1000)) kbit/s")
        #expect(utilisation >= 0.8 && utilisation <= 1.0, "\(utilisation) of the capacity used")
        #expect(dropped <= 20, "little loss: \(dropped) dropped by the queue")
        #expect(frames >= 250, "video keeps decoding: \(frames) frames in 10 s")
        #expect(abs(producedBits - targetBits) / targetBits <= 0.15, "encoder produced \(producedBits) bits against a target of \(targetBits)")
    }

    @Test("over a 150 kbit/s bottleneck the audio gives way, the video target falls under 120 kbit/s, the sender sends 10-15 frames a second instead of 30, and they keep decoding in order with fewer than one packet in ten lost to the queue")
    func lowersTheFrameRate() throws {
        var (call, media) = try Self.adaptingCall(capacity: 150_000, seed: 92)
        try SimulatedMedia.run(&call, for: .seconds(10), sending: &media)
        let framesBefore = call.receivedFrames.count
        let droppedBefore = call.network.droppedByQueue
        let sentBefore = call.offerer.statistics.packetsSent
        try SimulatedMedia.run(&call, for: .seconds(10), sending: &media)
        let frames = call.receivedFrames.count - framesBefore
        let dropped = call.network.droppedByQueue - droppedBefore
        let sent = call.offerer.statistics.packetsSent - sentBefore
        let target = call.offerer.statistics.outbound.first { $0.kind == .video }?.targetBitrate ?? 0
        print("measured: simulated 150 kbit/s bottleneck, last 10 s of 20: video target \(target / 1000) kbit/s, \(frames) frames decoded, \(dropped) of \(sent) packets dropped by the queue")
        #expect(target < EncoderBitrateFollower.reducedFrameRateBelow, "video target \(target)")
        #expect(frames >= 90 && frames <= 170, "10-15 frames a second: \(frames) in 10 s")
        let audio = call.offerer.statistics.outbound.first { $0.kind == .audio }?.targetBitrate ?? .max
        #expect(audio < 32_000, "Opus below its 32 kbit/s: \(audio)")
        #expect(Double(dropped) <= 0.1 * Double(sent), "\(dropped) of \(sent) dropped")
        let decoded = try SimulatedCallTests.decodedFrameNumbers(call.receivedFrames)
        #expect(decoded == decoded.sorted(), "in order")
    }
}
