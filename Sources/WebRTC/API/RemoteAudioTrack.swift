import CodecBridge
import RTPKit
import Synchronization

/// The audio the remote peer sends on one transceiver, played out through a
/// jitter buffer: PCM in playout order and at playout pace, as an
/// `AsyncSequence` (one consumer).
///
/// Packets wait in an ``AudioJitterBuffer`` whose delay follows the measured
/// jitter. A player task takes the next stretch of audio each time the last
/// one has played: a lost packet is rebuilt from the next packet's in-band
/// FEC when it carries some, and concealed otherwise; the audio is
/// shortened or lengthened by a pitch period to keep the delay on target
/// (see ``AudioPlayout``). When the consumer falls behind, at most
/// ``bufferedFrames`` frames wait; older ones are dropped. The sequence
/// finishes when the remote side stops sending and what was held has played.
public final class RemoteAudioTrack: AsyncSequence, Sendable {
    /// Played-out frames.
    public typealias Element = RemoteAudioFrame
    /// How many frames wait for a slow consumer (one second of 20 ms frames).
    public static let bufferedFrames = 50
    /// The most frames one wake-up of the player produces (it catches up
    /// after a stall, but never spins).
    static let largestCatchUp = 10

    /// What was negotiated for the track.
    public let info: RemoteTrackInfo
    /// The channel count of the decoded PCM.
    public let channelCount: Int
    private let frames: AsyncStream<RemoteAudioFrame>
    /// `nil` when the decoder could not be made (the track finishes at once).
    private let player: Player?

    /// The playout and whether the packets have stopped coming, behind one lock.
    final class Player: Sendable {
        struct State {
            var playout: AudioPlayout
            var ended = false
        }

        let state: Mutex<State>

        init(playout: sending AudioPlayout) {
            state = Mutex(State(playout: playout))
        }
    }

    init(
        info: RemoteTrackInfo, channelCount: Int, encodedFrames: AsyncStream<ReceivedFrame>,
        decoder makeDecoder: @escaping @Sendable (Int) throws -> any AudioDecoder,
        configuration: AudioJitterBuffer.Configuration = AudioJitterBuffer.Configuration(),
        reportPlayoutDelay: @escaping @Sendable (Duration) async -> Void = { _ in }
    ) {
        self.info = info
        self.channelCount = channelCount
        let (frames, continuation) = AsyncStream.makeStream(
            of: RemoteAudioFrame.self, bufferingPolicy: .bufferingNewest(Self.bufferedFrames))
        self.frames = frames
        var bufferConfiguration = configuration
        bufferConfiguration.clockRate = info.codec.clockRate > 0 ? info.codec.clockRate : configuration.clockRate
        guard let decoder = try? makeDecoder(channelCount) else {
            player = nil
            continuation.finish()
            return
        }
        let player = Player(playout: AudioPlayout(decoder: decoder, configuration: bufferConfiguration))
        self.player = player
        let (doorbell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let receiving = Task {
            var reported: Duration?
            for await frame in encodedFrames {
                let buffered = player.state.withLock { state in
                    // Lip sync: what the video lags beyond this buffer's own delay.
                    state.playout.extraDelay = frame.syncDelay
                    state.playout.insert(frame, at: frame.arrival ?? .now)
                    return state.playout.buffer.jitterDelay + state.playout.buffer.recoveryDelay
                }
                ring.yield()
                // Lip sync counts the buffer's own delay; told again when it moves by 5 ms or more.
                if reported.map({ abs(($0 - buffered) / .microseconds(1)) >= 5_000 }) ?? true {
                    reported = buffered
                    await reportPlayoutDelay(buffered)
                }
            }
            player.state.withLock { $0.ended = true }
            ring.finish()
        }
        let playing = Task {
            await Self.play(player, doorbell: doorbell, into: continuation)
            continuation.finish()
        }
        continuation.onTermination = { _ in
            receiving.cancel()
            playing.cancel()
        }
    }

    /// The player loop: sleeps until the next pull is due, or until a packet
    /// comes while there is nothing to play; ends when cancelled, or when the
    /// packets stopped and nothing is left to play.
    private static func play(
        _ player: Player, doorbell: AsyncStream<Void>, into continuation: AsyncStream<RemoteAudioFrame>.Continuation
    ) async {
        var bell = doorbell.makeAsyncIterator()
        while !Task.isCancelled {
            let (due, finished) = player.state.withLock { state in
                (state.playout.nextPullTime, state.ended && state.playout.buffer.count == 0)
            }
            if finished { return }
            guard let due else {
                // Nothing to play: wait for a packet (or for the end of the packets).
                if await bell.next() == nil, player.state.withLock({ $0.playout.nextPullTime == nil }) { return }
                continue
            }
            if due > .now {
                do { try await Task.sleep(until: due, clock: .continuous) } catch { return }
                continue
            }
            for _ in 0..<largestCatchUp {
                let frame: RemoteAudioFrame? = player.state.withLock { state in
                    let now = ContinuousClock.now
                    guard let next = state.playout.nextPullTime, next <= now else { return nil }
                    return state.playout.pull(at: now)
                }
                guard let frame else { break }
                continuation.yield(frame)
            }
        }
    }

    /// An iterator over the played-out frames.
    public func makeAsyncIterator() -> AsyncStream<RemoteAudioFrame>.Iterator { frames.makeAsyncIterator() }

    /// What the playout did so far: decoded, recovered and concealed audio,
    /// stretching, and the jitter buffer's delay against its target.
    public var statistics: AudioPlayoutStatistics {
        player?.state.withLock { $0.playout.statistics } ?? AudioPlayoutStatistics()
    }
    /// The delay the jitter buffer aims at now (jitter, plus any lip-sync delay).
    public var targetDelay: Duration { player?.state.withLock { $0.playout.buffer.targetDelay } ?? .zero }
    /// Packets decoded so far.
    public var framesDecoded: Int { statistics.packetsDecoded }
    /// Samples (per channel) the decoder made up for lost or late packets.
    public var concealedSamples: Int { statistics.concealedSamples }
    /// Packets the decoder refused.
    public var framesFailedToDecode: Int { statistics.packetsFailedToDecode }
}
