import CodecBridge
import Synchronization
import Testing
import TestSupport
import WebRTC

/// The loss-recovery targets of issue 8 on the simulated network: a real
/// VP8 stream at 30 fps through real DTLS-SRTP, on virtual time, seeded.
@Suite("Loss recovery targets on the simulated network")
struct LossRecoveryTargetTests {
    /// One-way 40-60 ms (20 ms and a jitter of 30 ± 10 ms, reordering
    /// packets): a round trip of 100 ms on average.
    static let jitteryLink = SimulatedLinkConditions(delay: .milliseconds(40), jitter: .milliseconds(20))

    /// A connected call sending video from the offerer.
    static func connectedCall(_ conditions: SimulatedLinkConditions, seed: UInt64) throws -> (SimulatedCall, [SimulatedMedia]) {
        var call = try SimulatedCall(conditions: conditions, seed: seed)
        call.network.keepsDropped = true
        try call.negotiate()
        try call.run(for: .seconds(20)) { $0.bothConnected }
        try #require(call.bothConnected)
        return (call, [try SimulatedMedia(.offerer, startingAt: call.now)])
    }

    /// The distinct video packets (by sequence number) the network dropped.
    static func lostVideoPackets(_ call: SimulatedCall) -> Set<UInt16> {
        var lost = Set<UInt16>()
        for bytes in call.network.droppedDatagrams where bytes.count >= 12 && bytes[0] & 0xC0 == 0x80 {
            guard !(192...223).contains(bytes[1]), bytes[1] & 0x7F == 96 else { continue }  // RTP of VP8, not RTCP
            lost.insert(UInt16(bytes[2]) << 8 | UInt16(bytes[3]))
        }
        return lost
    }

    /// The longest time between two frames leaving the receiver's jitter buffer.
    static func longestGap(_ times: [ContinuousClock.Instant]) -> Duration {
        zip(times, times.dropFirst()).map { $1 - $0 }.max() ?? .zero
    }

    @Test("5% random loss, 30 ± 10 ms jitter with reordering, 100 ms RTT: at least 99% of frames decode, no freeze is longer than 500 ms, and at least 99.5% of the lost video packets arrive before their frame is given up")
    func randomLossWithJitter() throws {
        var (call, media) = try Self.connectedCall(Self.jitteryLink, seed: 81)
        call.network.conditions.loss = 0.05
        try SimulatedMedia.run(&call, for: .seconds(30), sending: &media)
        call.network.conditions.loss = 0
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        try call.run(for: .milliseconds(600))

        let sent = media[0].pattern.frameNumber
        let decoded = try SimulatedCallTests.decodedFrameNumbers(call.receivedFrames)
        #expect(Double(decoded.count) >= Double(sent) * 0.99, "\(decoded.count) of \(sent) frames decoded")
        #expect(decoded == decoded.sorted(), "in order")
        let gap = Self.longestGap(call.answererVideoFrameTimes)
        #expect(gap <= .milliseconds(500), "longest time without a frame: \(gap)")

        let lost = Self.lostVideoPackets(call)
        let inbound = try #require(call.answerer.statistics.inbound.first)
        #expect(lost.count > 50, "the link lost \(lost.count) video packets")
        let recoveredShare = 1 - Double(inbound.packetsUnrecovered) / Double(lost.count)
        #expect(recoveredShare >= 0.995, "\(inbound.packetsUnrecovered) of \(lost.count) lost packets never recovered in time")
        #expect(inbound.nacksSent > 0 && inbound.packetsRecovered > 0)
        print("measured: simulated 5% loss, 30 ± 10 ms jitter, 100 ms RTT, 30 s: \(decoded.count) of \(sent) frames decoded, longest gap \(gap), \(lost.count) video packets lost, \(inbound.packetsUnrecovered) never recovered, \(inbound.retransmittedPacketsReceived) RTX packets received, \(call.offerer.statistics.packetsRetransmitted) retransmissions sent, mean jitter-buffer delay \(inbound.jitterBufferDelay / max(inbound.jitterBufferEmittedCount, 1)), \(inbound.freezeCount) freezes (\(inbound.totalFreezesDuration))")
        // RTX was negotiated, so the repairs came on the RTX stream.
        #expect(inbound.retransmittedPacketsReceived >= inbound.packetsRecovered, "\(inbound.retransmittedPacketsReceived) RTX packets")
    }

    @Test("after a 2-second burst of 20% loss, playback is smooth again within 1 s of its end: every frame decodes and none comes more than 100 ms after the one before")
    func burstOfLoss() throws {
        var (call, media) = try Self.connectedCall(Self.jitteryLink, seed: 82)
        try SimulatedMedia.run(&call, for: .seconds(3), sending: &media)
        call.network.conditions.loss = 0.2
        try SimulatedMedia.run(&call, for: .seconds(2), sending: &media)
        call.network.conditions.loss = 0
        let burstEnd = call.now
        let framesAtEnd = call.answererVideoFrameTimes.count
        try SimulatedMedia.run(&call, for: .seconds(4), sending: &media)
        try call.run(for: .milliseconds(300))

        let settled = burstEnd + .seconds(1)
        let firstSettled = try #require(call.answererVideoFrameTimes.firstIndex { $0 >= settled })
        #expect(firstSettled >= framesAtEnd)
        let times = Array(call.answererVideoFrameTimes[firstSettled...])
        #expect(Self.longestGap(times) <= .milliseconds(100), "longest gap after settling: \(Self.longestGap(times))")
        let numbers = try SimulatedCallTests.decodedFrameNumbers(call.receivedFrames)
        // Every frame decodes (the decoder runs over the whole stream, so a
        // broken reference chain would show as a missing number).
        let settledNumbers = try SimulatedCallTests.decodedFrameNumbers(call.receivedFrames).suffix(times.count)
        #expect(settledNumbers.count == times.count, "\(settledNumbers.count) of \(times.count) frames after settling decode")
        #expect(Array(settledNumbers) == Array((settledNumbers.first ?? 0)..<((settledNumbers.first ?? 0) + settledNumbers.count)), "no frame missing after settling")
        #expect(numbers.last == media[0].pattern.frameNumber - 1, "video goes on to the end")
        print("measured: simulated 2 s burst of 20% loss: \(numbers.count) of \(media[0].pattern.frameNumber) frames decoded; longest gap during the burst \(Self.longestGap(call.answererVideoFrameTimes)), from 1 s after it \(Self.longestGap(times))")
    }

    @Test("with no loss (but 30 ± 10 ms jitter), the video jitter buffer holds a frame no longer than one frame interval on average, and every frame decodes")
    func noLossNoDelay() throws {
        var (call, media) = try Self.connectedCall(Self.jitteryLink, seed: 83)
        try SimulatedMedia.run(&call, for: .seconds(10), sending: &media)
        try call.run(for: .milliseconds(300))
        let inbound = try #require(call.answerer.statistics.inbound.first)
        #expect(inbound.jitterBufferEmittedCount == call.receivedFrames.count)
        let mean = inbound.jitterBufferDelay / max(inbound.jitterBufferEmittedCount, 1)
        #expect(mean <= .seconds(1) / 30, "mean jitter-buffer delay \(mean)")
        print("measured: simulated clean link with 30 ± 10 ms jitter: mean jitter-buffer delay \(mean) over \(inbound.jitterBufferEmittedCount) frames")
        #expect(try SimulatedCallTests.decodedFrameNumbers(call.receivedFrames) == Array(0..<media[0].pattern.frameNumber))
    }

    @Test("the DTLS handshake completes under 20% loss on virtual time with its first flight lost: OpenSSL's retransmissions follow the simulated clock")
    func dtlsHandshakeUnderLossOnVirtualTime() throws {
        final class FirstOnly: Sendable {
            let pending = Atomic<Bool>(true)
            func take() -> Bool { pending.exchange(false, ordering: .sequentiallyConsistent) }
        }
        let first = FirstOnly()
        var call = try SimulatedCall(conditions: SimulatedLinkConditions(loss: 0.2, delay: .milliseconds(40), jitter: .milliseconds(20)), seed: 84)
        // The first DTLS datagram (RFC 7983: first byte 20-63) is always lost, so the handshake needs a retransmission.
        call.network.discards = { bytes in
            guard let byte = bytes.first, (20...63).contains(byte) else { return false }
            return first.take()
        }
        let start = call.now
        try call.negotiate()
        try call.run(for: .seconds(15)) { $0.bothConnected }
        let connected = call.bothConnected
        #expect(connected)
        let flightWasLost = !first.pending.load(ordering: .sequentiallyConsistent)
        #expect(flightWasLost, "a DTLS flight was lost")
        // On the wall clock the lost flight would be resent only after a real second, many virtual seconds later.
        #expect(call.now - start < .seconds(15), "connected after \(call.now - start) of virtual time")
        print("measured: DTLS handshake under 20% loss on virtual time, first flight lost: connected after \(call.now - start) of virtual time")
    }
}

