import RTPKit
import Testing

/// Drives an `AudioJitterBuffer` on virtual time: 20 ms packets sent on a
/// clock, arriving after `delays[i]` (nil: lost), and a player that asks for
/// audio whenever the last piece ran out, applying each stretch in full.
private struct PlayoutRun {
    var buffer = AudioJitterBuffer()
    let start = ContinuousClock.now
    var decisions: [AudioPlayoutDecision] = []
    /// Per decision with an arrival: how long the packet waited.
    var waits: [Duration] = []
    /// Packets sent; decisions past the last one (concealing the stream's end) are not counted.
    var sent = 0

    mutating func run(delays: [Duration?]) {
        sent = delays.count
        var arrivals: [(at: ContinuousClock.Instant, index: Int)] = []
        for (index, delay) in delays.enumerated() {
            if let delay { arrivals.append((start + .milliseconds(20 * index) + delay, index)) }
        }
        arrivals.sort { $0.at < $1.at }
        var nextArrival = 0
        var nextPull: ContinuousClock.Instant?
        let end = start + .milliseconds(20 * delays.count) + .milliseconds(600)
        var now = start
        while now < end {
            let pullDue = nextPull ?? buffer.playoutStart
            let arrivalDue = nextArrival < arrivals.count ? arrivals[nextArrival].at : nil
            guard let due = [pullDue, arrivalDue].compactMap({ $0 }).min() else { break }
            now = due
            while nextArrival < arrivals.count, arrivals[nextArrival].at <= now {
                let index = arrivals[nextArrival].index
                buffer.insert(payload: [UInt8(truncatingIfNeeded: index), 1], timestamp: UInt32(960 * index), arrival: arrivals[nextArrival].at)
                nextArrival += 1
            }
            guard let pullDue, pullDue <= now else {
                if nextPull == nil, let start = buffer.playoutStart, start <= now { nextPull = now }
                continue
            }
            guard let decision = buffer.nextDecision(at: now) else {
                nextPull = nil
                continue
            }
            decisions.append(decision)
            if let arrival = decision.arrival, case .play = decision.action { waits.append(now - arrival) }
            var length: Duration = .milliseconds(20)
            switch decision.adjustment {
            case .none: break
            case .shorten(let maximum): length -= maximum
            case .lengthen(let maximum): length += maximum
            }
            if case .conceal = decision.action { buffer.advance(by: 960, concealed: true) } else { buffer.advance(by: 960, concealed: false) }
            nextPull = now + length
        }
    }

    func count(_ predicate: (AudioPlayoutDecision.Action) -> Bool) -> Int {
        decisions.filter { $0.timestamp < Int64(960 * sent) && predicate($0.action) }.count
    }
    var played: Int { count { if case .play = $0 { true } else { false } } }
    var concealed: Int { count { $0 == .conceal } }
    var recovered: Int { count { if case .recover = $0 { true } else { false } } }
}

@Suite("Audio jitter buffer: adaptive delay, FEC and concealment decisions")
struct AudioJitterBufferTests {
    @Test func onACleanLinkEveryPacketPlaysInOrderAfterTheMinimumDelay() {
        var run = PlayoutRun()
        run.run(delays: Array(repeating: .milliseconds(30), count: 250))
        #expect(run.played == 250)
        #expect(run.concealed == 0)
        #expect(run.buffer.targetDelay == .milliseconds(20))
        #expect(run.waits.allSatisfy { $0 <= .milliseconds(35) }, "waits: \(run.waits.max()!)")
        let timestamps = run.decisions.compactMap { if case .play(let bytes) = $0.action { Int(bytes[0]) } else { nil } }
        #expect(timestamps == (0..<250).map { $0 % 256 })
    }

    @Test func underFortyMillisecondsOfRandomJitterTheP95WaitStaysUnder60msAndUnder3PercentConceals() {
        var random = SeededGenerator(seed: 11)
        let delays: [Duration?] = (0..<1500).map { _ in .milliseconds(30) + .microseconds(Int64.random(in: 0...40_000, using: &random)) }
        var run = PlayoutRun()
        run.run(delays: delays)
        let waits = run.waits.sorted()
        let p95 = waits[waits.count * 95 / 100]
        print("measured: jitter 0-40 ms, target \(run.buffer.targetDelay), p95 wait \(p95), concealed \(run.concealed) of \(run.sent), late \(run.buffer.latePackets)")
        #expect(p95 <= .milliseconds(60))
        #expect(Double(run.concealed) / Double(run.sent) <= 0.03)
        #expect(run.buffer.targetDelay >= .milliseconds(30) && run.buffer.targetDelay <= .milliseconds(50))
    }

    @Test func aSingleLostPacketIsRecoveredFromTheNextOnesFECAndTwoInARowConcealOneFirst() {
        var delays: [Duration?] = Array(repeating: .milliseconds(30), count: 100)
        delays[40] = nil
        delays[70] = nil
        delays[71] = nil
        var run = PlayoutRun()
        run.run(delays: delays)
        #expect(run.played == 97)
        #expect(run.recovered == 2)
        #expect(run.concealed == 1)
        // The recovery for packet 40 came from packet 41.
        let fromPacket = run.decisions.compactMap { if case .recover(let bytes) = $0.action { Int(bytes[0]) } else { nil } }
        #expect(fromPacket == [41, 72])
    }

    @Test func aPacketAfterItsPlayoutTimeIsDroppedAsLateAndADuplicateIsDropped() {
        var buffer = AudioJitterBuffer()
        let start = ContinuousClock.now
        let first = buffer.insert(payload: [1], timestamp: 0, arrival: start)
        let again = buffer.insert(payload: [1], timestamp: 0, arrival: start)
        #expect(first)
        #expect(!again, "a duplicate")
        #expect(buffer.duplicatePackets == 1)
        let decision = buffer.nextDecision(at: start + .milliseconds(20))
        #expect(decision?.action == .play([1]))
        buffer.advance(by: 960, concealed: false)
        #expect(buffer.nextDecision(at: start + .milliseconds(40))?.action == .conceal)
        buffer.advance(by: 960, concealed: true)
        let late = buffer.insert(payload: [2], timestamp: 960, arrival: start + .milliseconds(45))
        #expect(!late)
        #expect(buffer.latePackets == 1)
    }

    @Test func aFloodOfPacketsIsHeldToTheCapacityAndTheOldestGo() {
        var buffer = AudioJitterBuffer(configuration: .init(capacity: 8))
        let start = ContinuousClock.now
        for index in 0..<100 { buffer.insert(payload: [UInt8(index)], timestamp: UInt32(960 * index), arrival: start) }
        #expect(buffer.count == 8)
        #expect(buffer.discardedPackets == 92)
    }

    @Test func afterTheMaximumConcealmentPlayoutStopsAndResumesWhenPacketsComeBack() {
        var delays: [Duration?] = Array(repeating: .milliseconds(30), count: 200)
        for index in 50..<100 { delays[index] = nil }  // the sender paused for a second
        var run = PlayoutRun()
        run.run(delays: delays)
        // 200 ms of concealment (10 packets), then silence until packet 100.
        #expect(run.concealed == 10)
        #expect(run.played == 150)
        #expect(!run.buffer.isPlaying || run.buffer.count == 0)
    }

    @Test func aJitterEstimateFollowsTheQuantileOfTheDelayAboveTheFastestPacket() {
        var estimator = AudioDelayEstimator(quantile: 0.85, memory: 1000)
        // 90% of packets on time, 10% 50 ms late: the 85% quantile is on time.
        for index in 0..<1000 { estimator.note(transit: index % 10 == 0 ? 50_000_000 : 0) }
        #expect(estimator.targetDelay <= .milliseconds(2))
        // Then 30% late: the quantile moves to the late packets' bin.
        for index in 0..<1000 { estimator.note(transit: index % 10 < 3 ? 50_000_000 : 0) }
        #expect(estimator.targetDelay >= .milliseconds(50) && estimator.targetDelay <= .milliseconds(52))
    }

    @Test("while the first 2 s of transits come in, the target covers their spread: slow first packets measured against themselves do not hide the jitter")
    func warmUpTargetCoversTheSpread() {
        var estimator = AudioDelayEstimator()
        // Five slow packets (each 0 above the slowest-so-far minimum), then a fast one.
        for _ in 0..<5 { estimator.note(transit: 40_000_000) }
        estimator.note(transit: 0)
        #expect(estimator.isWarmingUp)
        #expect(estimator.targetDelay == .milliseconds(40), "the histogram alone says \(Duration.milliseconds(2))")
        // Once the window has filled with on-time packets, the quantile alone rules.
        for _ in 0..<200 { estimator.note(transit: 0) }
        #expect(!estimator.isWarmingUp)
        #expect(estimator.targetDelay == .milliseconds(2))
    }
}
