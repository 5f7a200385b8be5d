import Testing

@testable import CongestionControl

/// The pacer on its own, driven the way a connection drives it: enqueue,
/// then `next(at:)` until nil at every `nextWake`.
@Suite("Pacer")
struct PacerTests {
    /// Drives `pacer` from `start` to `end` in 1 ms steps, returning each release with its time.
    static func drain(
        _ pacer: inout Pacer<Int>, from start: Duration = .zero, to end: Duration
    ) -> [(time: Duration, release: Pacer<Int>.Release)] {
        var released: [(time: Duration, release: Pacer<Int>.Release)] = []
        var now = start
        while now < end {
            if let wake = pacer.nextWake, wake <= now {
                while let release = pacer.next(at: now) { released.append((now, release)) }
            }
            now += .milliseconds(1)
        }
        return released
    }

    static func size(_ release: Pacer<Int>.Release) -> Int {
        switch release {
        case .packet(let size, _): size
        case .padding(let size, _): size
        }
    }

    @Test("a 30-packet frame at a 1 Mbit/s target leaves at 2.5 Mbit/s in bursts of at most 5 ms worth: spread over about 115 ms, not at once")
    func framesLeaveInSmallBursts() {
        var pacer = Pacer<Int>(targetBitrate: 1_000_000)
        for _ in 0..<30 {
            let queued = pacer.enqueue(1_200, size: 1_200, priority: .video, at: .zero)
            #expect(queued)
        }
        let released = Self.drain(&pacer, to: .milliseconds(300))
        #expect(released.count == 30)
        #expect(pacer.queuedPackets == 0 && pacer.queuedBytes == 0)
        let span = released.last!.time - released.first!.time
        // 36,000 bytes at 2.5 Mbit/s take 115 ms.
        #expect(span >= .milliseconds(100) && span <= .milliseconds(125), "spread over \(span)")
        // No 5 ms window carries more than its budget (1,562 bytes) plus one packet of debt.
        for (index, first) in released.enumerated() {
            let window = released[index...].prefix { $0.time < first.time + .milliseconds(5) }
            let bytes = window.reduce(0) { $0 + Self.size($1.release) }
            #expect(bytes <= 1_562 + 1_200, "\(bytes) bytes within 5 ms of \(first.time)")
        }
    }

    @Test("audio leaves at once whatever the budget, and retransmissions leave before new video")
    func priorities() {
        var pacer = Pacer<Int>(targetBitrate: 100_000)
        // Use up the budget with video.
        for index in 0..<10 { _ = pacer.enqueue(index, size: 1_200, priority: .video, at: .zero) }
        while pacer.next(at: .zero) != nil {}
        _ = pacer.enqueue(100, size: 1_200, priority: .retransmission, at: .zero)
        _ = pacer.enqueue(200, size: 100, priority: .audio, at: .zero)
        let first = pacer.next(at: .milliseconds(1))
        guard case .packet(200, nil)? = first else {
            Issue.record("audio did not leave first")
            return
        }
        let held = pacer.next(at: .milliseconds(1))
        #expect(held == nil, "the budget holds the rest back")
        let order = Self.drain(&pacer, from: .milliseconds(1), to: .seconds(2)).compactMap { entry -> Int? in
            if case .packet(let id, _) = entry.release { return id }
            return nil
        }
        #expect(order.first == 100, "the retransmission goes before the video still waiting")
        #expect(order.count == 1 + 9)
    }

    @Test("each queue is bounded: a packet beyond its capacity is refused and counted, and the others still leave")
    func boundedQueue() {
        var pacer = Pacer<Int>(targetBitrate: 100_000, configuration: .init(capacity: 4))
        for index in 0..<6 { _ = pacer.enqueue(index, size: 1_000, priority: .video, at: .zero) }
        #expect(pacer.queuedPackets == 4)
        #expect(pacer.packetsRefused == 2)
        let audioQueued = pacer.enqueue(9, size: 100, priority: .audio, at: .zero)
        #expect(audioQueued, "another priority has its own queue")
        #expect(Self.drain(&pacer, to: .seconds(2)).count == 5)
    }

    @Test("a queue that would take longer than 2 s to drain at the pacing rate raises the rate so that it drains in about 2 s")
    func queueTimeLimit() {
        var pacer = Pacer<Int>(targetBitrate: 100_000)
        // 1 MB is 32 s at 250 kbit/s.
        for _ in 0..<1_000 { _ = pacer.enqueue(1_000, size: 1_000, priority: .video, at: .zero) }
        #expect(pacer.pacingRate(at: .zero) == 4_000_000)
        let released = Self.drain(&pacer, to: .seconds(5))
        #expect(released.count == 1_000)
        let span = released.last!.time - released.first!.time
        #expect(span <= .milliseconds(2_200), "drained in \(span)")
    }

    @Test("a probe cluster leaves at its rate, media first and padding after, until it holds 5 packets and 15 ms of its rate; then pacing resumes")
    func probeCluster() {
        var pacer = Pacer<Int>(targetBitrate: 300_000)
        _ = pacer.enqueue(1, size: 1_200, priority: .video, at: .zero)
        let cluster = ProbeCluster(id: 7, bitrate: 900_000)
        pacer.startProbe(cluster, at: .zero)
        let released = Self.drain(&pacer, to: .milliseconds(40))
        guard case .packet(1, probeCluster: 7)? = released.first?.release else {
            Issue.record("the waiting media did not start the cluster")
            return
        }
        var bytes = 0
        for entry in released {
            switch entry.release {
            case .packet(_, let id):
                #expect(id == 7)
                bytes += 1_200
            case .padding(let size, let id):
                #expect(id == 7)
                bytes += size
            }
        }
        #expect(released.count >= ProbeCluster.minimumPacketCount)
        #expect(bytes >= cluster.minimumBytes, "\(bytes) bytes")
        #expect(!pacer.isProbing)
        // 1,688 bytes at 900 kbit/s is 15 ms: the cluster lasted about that, not a burst.
        let span = released.last!.time - released.first!.time
        #expect(span >= .milliseconds(10) && span <= .milliseconds(20), "cluster lasted \(span)")
        #expect(pacer.paddingPackets == released.count - 1)
    }
}
