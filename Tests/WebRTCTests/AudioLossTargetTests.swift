import CodecBridge
import Testing
import TestSupport
import WebRTC

/// The audio targets of issue 8 on the simulated network: a real Opus
/// stream through real DTLS-SRTP on virtual time, seeded; the answerer's
/// received packets are then played out through `AudioPlayout` at the
/// virtual times they arrived.
@Suite("Audio loss and jitter targets on the simulated network")
struct AudioLossTargetTests {
    /// One-way 20-60 ms: 20 ms and a uniform 0-40 ms on top (a jitter of 20 ± 20 ms, reordering).
    static let jitteryLink = SimulatedLinkConditions(delay: .milliseconds(20), jitter: .milliseconds(40))

    struct Run {
        var call: SimulatedCall
        var media: SimulatedMedia
        var driver: AudioPlayoutDriver
        /// When the first audio packet was sent.
        var mediaStart: ContinuousClock.Instant
    }

    /// A call that sends audio from the offerer for `duration`, its packets
    /// played out at the answerer.
    static func audioCall(_ conditions: SimulatedLinkConditions, seed: UInt64, for duration: Duration) throws -> Run {
        var call = try SimulatedCall(conditions: SimulatedLinkConditions(delay: conditions.delay), seed: seed, offererSends: [.audio])
        try call.negotiate()
        try call.run(for: .seconds(20)) { $0.bothConnected }
        try #require(call.bothConnected)
        call.network.conditions = conditions
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        media[0].voice = try VoiceLikeSource()
        let start = call.now
        try SimulatedMedia.run(&call, for: duration, sending: &media)
        try call.run(for: .milliseconds(300))
        let arrivals = call.receivedByAnswerer.filter { $0.kind == .audio }.map { (at: $0.arrival!, frame: $0) }
        var driver = try AudioPlayoutDriver()
        driver.run(arrivals.sorted { $0.at < $1.at }, until: call.now)
        return Run(call: call, media: media[0], driver: driver, mediaStart: start)
    }

    @Test("at 20 ± 20 ms of jitter, p95 of the audio's delay beyond the fastest path is at most 60 ms, with under 1% concealed")
    func jitter() throws {
        let run = try Self.audioCall(Self.jitteryLink, seed: 91, for: .seconds(20))
        let played = run.driver.played.filter { $0.frame.origin == .decoded }
        let statistics = run.driver.playout.statistics
        try #require(played.count >= 990, "\(played.count) packets played of 1000")
        // Sent at mediaStart + (timestamp - first timestamp) / 48 kHz; the first packet arrives (no loss).
        let first = played.map(\.frame.rtpTimestamp).min { Int32(bitPattern: $0 &- $1) < 0 }!
        var added = played.map { entry in
            let sent = run.mediaStart + .microseconds(Int(Int32(bitPattern: entry.frame.rtpTimestamp &- first)) * 1_000 / 48)
            return entry.at - sent - Self.jitteryLink.delay
        }
        added.sort()
        let p95 = added[added.count * 95 / 100]
        #expect(p95 <= .milliseconds(60), "p95 \(p95)")
        #expect(added[0] >= .zero)
        #expect(statistics.concealedShare < 0.01, "concealed \(statistics.concealedShare)")
        print("measured: simulated Opus call at 20 ± 20 ms jitter: p95 delay beyond the fastest path \(p95), median \(added[added.count / 2]), target \(run.driver.playout.buffer.targetDelay), concealed \(statistics.concealedSamples) samples of \(statistics.totalSamplesReceived), stretched +\(statistics.insertedSamplesForDeceleration)/-\(statistics.removedSamplesForAcceleration)")
    }

    @Test("at 5% random loss and 20 ± 20 ms jitter, at most 3% of the played samples are concealed: the sender adds Opus FEC from the receiver's reports, and the receiver rebuilds lost packets from it")
    func loss() throws {
        var conditions = Self.jitteryLink
        conditions.loss = 0.05
        let run = try Self.audioCall(conditions, seed: 92, for: .seconds(20))
        let statistics = run.driver.playout.statistics
        #expect(run.media.lossAdaptation.percent >= 1, "the sender learned of the loss")
        #expect(statistics.packetsRecoveredWithFEC > 0)
        #expect(statistics.concealedShare <= 0.03, "concealed \(statistics.concealedShare)")
        let audio = run.call.receivedByAnswerer.filter { $0.kind == .audio }
        let received = audio.count
        print("measured: simulated Opus call at 5% loss, 20 ± 20 ms jitter: \(1_000 - received) of 1000 packets missing at the receiver, \(statistics.packetsRecoveredWithFEC) rebuilt from FEC, concealed \(statistics.concealedSamples) samples of \(statistics.totalSamplesReceived) (\(statistics.concealedShare * 100)%), sender's expected loss \(run.media.lossAdaptation.percent)%")
    }
}
