import CodecBridge
import Synchronization
import Testing
import TestSupport
@testable import WebRTC

/// `RemoteAudioTrack` on the real clock: its player task paces the audio
/// and finishes when the packets stop.
@Suite("Remote audio track: playout on the clock")
struct RemoteAudioTrackTests {
    static let info = RemoteTrackInfo(
        mid: "0", kind: .audio, codec: NegotiatedCodec(name: "opus", payloadType: 111, clockRate: 48_000, channels: 2),
        streamIDs: [], trackID: nil)

    @Test("packets fed every 20 ms play out in order at playout pace, the track reports its buffer's delay for lip sync, and it finishes once the packets stop and the buffer is empty")
    func playsInOrderAndFinishes() async throws {
        let packets = try AudioPlayoutDriver.tonePackets(count: 25)
        let (feed, continuation) = AsyncStream.makeStream(of: ReceivedFrame.self)
        let reported = Mutex<[Duration]>([])
        let track = RemoteAudioTrack(info: Self.info, channelCount: 1, encodedFrames: feed, decoder: { try OpusDecoder(channelCount: $0) }) { delay in
            reported.withLock { $0.append(delay) }
        }
        let feeding = Task {
            for var packet in packets {
                packet.arrival = .now
                continuation.yield(packet)
                try? await Task.sleep(for: .milliseconds(20))
            }
            continuation.finish()
        }
        let played = try await withDeadline(.seconds(10), "the track to finish") {
            var played: [(at: ContinuousClock.Instant, frame: RemoteAudioFrame)] = []
            for await frame in track { played.append((.now, frame)) }
            return played
        }
        await feeding.value
        let decoded = played.filter { $0.frame.origin == .decoded }
        #expect(decoded.count == 25)
        #expect(decoded.map(\.frame.rtpTimestamp) == packets.map(\.rtpTimestamp))
        #expect(played.allSatisfy { $0.frame.pcm.samplesPerChannel >= 480 })
        // Paced, not bursted: 25 frames of about 20 ms take about half a second.
        let span = played.last!.at - played.first!.at
        #expect(span >= .milliseconds(300), "played over \(span)")
        #expect(reported.withLock { $0.first } == .milliseconds(20), "the buffer's 20 ms minimum, told to lip sync")
        #expect(track.statistics.packetsDecoded == 25)
        #expect(track.framesDecoded == 25)
    }

    @Test("a frame's lip-sync wait raises the buffer's target by that much")
    func lipSyncWaitRaisesTheTarget() async throws {
        let packets = try AudioPlayoutDriver.tonePackets(count: 3)
        let (feed, continuation) = AsyncStream.makeStream(of: ReceivedFrame.self)
        let track = RemoteAudioTrack(info: Self.info, channelCount: 1, encodedFrames: feed, decoder: { try OpusDecoder(channelCount: $0) })
        var packet = packets[0]
        packet.arrival = .now
        packet.syncDelay = .milliseconds(70)
        continuation.yield(packet)
        try await withDeadline(.seconds(5), "the packet to be taken in") {
            while track.targetDelay != .milliseconds(90) {
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        #expect(track.targetDelay == .milliseconds(90), "20 ms of jitter target and 70 ms of lip-sync wait")
        continuation.finish()
    }

    @Test("a decoder that cannot be made finishes the track at once, with nothing played")
    func decoderFailureFinishes() async throws {
        let (feed, continuation) = AsyncStream.makeStream(of: ReceivedFrame.self)
        let track = RemoteAudioTrack(info: Self.info, channelCount: 1, encodedFrames: feed, decoder: { _ in
            throw CodecError(.codecInitializationFailed, "no decoder")
        })
        let count = try await withDeadline(.seconds(5), "the track to finish") {
            var count = 0
            for await _ in track { count += 1 }
            return count
        }
        #expect(count == 0)
        #expect(track.statistics == AudioPlayoutStatistics())
        continuation.finish()
    }
}
