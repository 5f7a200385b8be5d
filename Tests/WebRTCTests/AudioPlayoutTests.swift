import CodecBridge
import Testing
import TestSupport
import WebRTC

/// `AudioPlayout` with the real Opus codec, on virtual time: packets sent
/// every 20 ms from `start`, arriving after a delay each (nil: lost).
@Suite("Audio playout: jitter buffer, Opus FEC, concealment and stretching")
struct AudioPlayoutTests {
    static func play(_ packets: [ReceivedFrame], delays: [Duration?], extra: Duration = .milliseconds(600)) throws -> AudioPlayoutDriver {
        let start = ContinuousClock.now
        var arrivals: [(at: ContinuousClock.Instant, frame: ReceivedFrame)] = []
        for (index, delay) in delays.enumerated() {
            if let delay { arrivals.append((start + .milliseconds(20 * index) + delay, packets[index])) }
        }
        arrivals.sort { $0.at < $1.at }
        var driver = try AudioPlayoutDriver()
        driver.run(arrivals, until: start + .milliseconds(20 * delays.count) + extra)
        return driver
    }

    @Test("on a clean link every packet is decoded once, in order, each after the 20 ms minimum wait, and pulls come every 20 ms")
    func cleanLink() throws {
        let packets = try AudioPlayoutDriver.tonePackets(count: 100)
        let driver = try Self.play(packets, delays: Array(repeating: .milliseconds(30), count: 100))
        let decoded = driver.played.filter { $0.frame.origin == .decoded }
        #expect(decoded.map(\.frame.pcm.timestamp) == (0..<100).map { Duration.milliseconds(20 * $0) })
        #expect(decoded.allSatisfy { $0.frame.playoutDelay == .milliseconds(20) })
        let gaps = zip(decoded, decoded.dropFirst()).map { $1.at - $0.at }
        #expect(gaps.allSatisfy { $0 == .milliseconds(20) })
        let statistics = driver.playout.statistics
        #expect(statistics.packetsDecoded == 100)
        #expect(statistics.meanJitterBufferDelay == .milliseconds(20))
        #expect(statistics.insertedSamplesForDeceleration + statistics.removedSamplesForAcceleration == 0)
    }

    @Test("a lost packet whose successor carries Opus FEC is rebuilt from it, and is concealed when the successor carries none")
    func fecOrConcealment() throws {
        var delays: [Duration?] = Array(repeating: .milliseconds(30), count: 60)
        delays[30] = nil
        let withFEC = try Self.play(try AudioPlayoutDriver.tonePackets(count: 60, expectedLoss: 10), delays: delays)
        let rebuilt = try #require(withFEC.played.first { $0.frame.pcm.timestamp == .milliseconds(600) })
        #expect(rebuilt.frame.origin == .recoveredWithFEC)
        #expect(rebuilt.frame.pcm.samplesPerChannel == 960)
        #expect(withFEC.playout.statistics.packetsRecoveredWithFEC == 1)
        #expect(withFEC.playout.statistics.packetsDecoded == 59)

        let withoutFEC = try Self.play(try AudioPlayoutDriver.tonePackets(count: 60, expectedLoss: 0), delays: delays)
        let concealed = try #require(withoutFEC.played.first { $0.frame.pcm.timestamp == .milliseconds(600) })
        #expect(concealed.frame.origin == .concealed)
        #expect(concealed.frame.isConcealed)
        #expect(withoutFEC.playout.statistics.packetsRecoveredWithFEC == 0)
        #expect(withoutFEC.playout.statistics.concealmentEvents >= 1)
    }

    @Test("under 0-40 ms of random jitter playout never stalls: audio plays continuously, p95 of a packet's delay above the fastest path is at most 60 ms, and stretching keeps the delay near the target")
    func randomJitter() throws {
        var random = SplitMix64(seed: 5)
        let count = 1_000
        let delays: [Duration?] = (0..<count).map { _ in .milliseconds(20) + .microseconds(Int.random(in: 0...40_000, using: &random)) }
        let packets = try AudioPlayoutDriver.tonePackets(count: count)
        let driver = try Self.play(packets, delays: delays, extra: .zero)
        let start = try #require(driver.played.first).at
        // Each pull comes when the previous audio has played: the output is continuous.
        for (previous, next) in zip(driver.played, driver.played.dropFirst()) {
            #expect(next.at - previous.at == previous.frame.pcm.duration)
        }
        // A packet's delay above the fastest path (20 ms): playout time minus send time minus 20 ms.
        let origin = start - driver.played[0].frame.playoutDelay! - delays[0]!
        var added = driver.played.filter { $0.frame.origin == .decoded }.map { $0.at - (origin + $0.frame.pcm.timestamp) - .milliseconds(20) }
        added.sort()
        let p95 = added[added.count * 95 / 100]
        #expect(p95 <= .milliseconds(60), "p95 \(p95)")
        let statistics = driver.playout.statistics
        #expect(statistics.concealedShare < 0.03, "concealed \(statistics.concealedShare)")
        print("measured: audio playout at 0-40 ms jitter: p95 added delay \(p95), target \(driver.playout.buffer.targetDelay), concealed \(statistics.concealedSamples) samples, stretched +\(statistics.insertedSamplesForDeceleration)/-\(statistics.removedSamplesForAcceleration)")
    }

    @Test("when the packets stop, playout conceals at most 200 ms and then waits, asking for no pull until a packet comes")
    func packetsStop() throws {
        let packets = try AudioPlayoutDriver.tonePackets(count: 20)
        let start = ContinuousClock.now
        var driver = try AudioPlayoutDriver()
        driver.stopsWhenDrained = false
        driver.run(packets.enumerated().map { (at: start + .milliseconds(20 * $0.offset + 10), frame: $0.element) }, until: start + .seconds(3))
        let concealed = driver.played.filter { $0.frame.origin == .concealed }
        #expect(concealed.count == 10, "200 ms of 20 ms concealment")
        #expect(driver.playout.nextPullTime == nil)
        #expect(driver.playout.statistics.concealmentEvents == 1)
    }

    @Test("a packet that arrives after its playout time, or twice, is dropped and counted, and the stream plays on")
    func lateAndDuplicatePackets() throws {
        let packets = try AudioPlayoutDriver.tonePackets(count: 40)
        let start = ContinuousClock.now
        var arrivals = packets.enumerated().map { (at: start + .milliseconds(20 * $0.offset), frame: $0.element) }
        arrivals[10].at += .milliseconds(200)  // long after its turn
        arrivals.append((arrivals[20].at + .milliseconds(1), packets[20]))  // a copy
        arrivals.sort { $0.at < $1.at }
        var driver = try AudioPlayoutDriver()
        driver.run(arrivals, until: start + .seconds(1))
        #expect(driver.playout.statistics.packetsDiscarded == 2)
        #expect(driver.playout.statistics.packetsDecoded == 39)
        #expect(driver.played.contains { $0.frame.pcm.timestamp == .milliseconds(780) && $0.frame.origin == .decoded })
    }
}
