import CodecBridge
import WebRTC

/// Plays received audio packets through an `AudioPlayout` on virtual time:
/// each packet is inserted at its arrival, and the player pulls whenever
/// the playout asks to be pulled, as `RemoteAudioTrack`'s task does on
/// the real clock.
struct AudioPlayoutDriver {
    var playout: AudioPlayout
    /// What was played, and when.
    var played: [(at: ContinuousClock.Instant, frame: RemoteAudioFrame)] = []
    /// Whether playing stops once the last packet has played (else it
    /// conceals on until `end`, as a stream that paused).
    var stopsWhenDrained = true

    init(channelCount: Int = 1) throws {
        playout = AudioPlayout(decoder: try OpusDecoder(channelCount: channelCount))
    }

    /// Inserts `arrivals` (sorted by arrival time) and plays until `end`, or
    /// until every packet has come and played (as `RemoteAudioTrack` ends
    /// when its packets stop and the buffer is empty).
    mutating func run(_ arrivals: [(at: ContinuousClock.Instant, frame: ReceivedFrame)], until end: ContinuousClock.Instant) {
        var next = 0
        var now = arrivals.first?.at ?? end
        // Each step handles one arrival or one pull: the loop is bounded by both counts.
        let pullsAtMost = 4 * arrivals.count + 100
        for _ in 0..<(arrivals.count + pullsAtMost) {
            let arrival = next < arrivals.count ? arrivals[next].at : nil
            if arrival == nil, playout.buffer.count == 0, stopsWhenDrained { return }
            guard let due = [arrival, playout.nextPullTime].compactMap({ $0 }).min(), due <= end else { return }
            now = max(now, due)
            while next < arrivals.count, arrivals[next].at <= now {
                playout.insert(arrivals[next].frame, at: arrivals[next].at)
                next += 1
            }
            if let pull = playout.nextPullTime, pull <= now, let frame = playout.pull(at: now) {
                played.append((now, frame))
            }
        }
    }

    /// Real Opus packets of a 440 Hz tone, 20 ms each, as the receiver hands them on.
    static func tonePackets(count: Int, expectedLoss: Int = 0) throws -> [ReceivedFrame] {
        var configuration = OpusEncoder.Configuration()
        configuration.expectedPacketLossPercent = expectedLoss
        let encoder = try OpusEncoder(configuration: configuration)
        var tone = try ToneSource(frequency: 440)
        return try (0..<count).map { index in
            ReceivedFrame(
                mid: "0", kind: .audio, data: try encoder.encode(tone.nextFrame().samples), isKeyFrame: true,
                rtpTimestamp: UInt32(truncatingIfNeeded: 1_000 + 960 * index), timestamp: .milliseconds(20 * index))
        }
    }
}
