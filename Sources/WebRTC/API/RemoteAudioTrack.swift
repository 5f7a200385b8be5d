public import CodecBridge
import Synchronization

/// One stretch of audio received from the remote peer, decoded.
public struct RemoteAudioFrame: Sendable {
    /// The packet as it came off the wire; `nil` for concealment of a lost packet.
    public var encoded: ReceivedFrame?
    /// The decoded (or concealed) PCM, with its timestamp.
    public var pcm: AudioFrame
    /// Whether the decoder made it up for a lost packet (packet-loss concealment).
    public var isConcealed: Bool { encoded == nil }
}

/// The audio the remote peer sends on one transceiver: decoded PCM, in
/// order, as an `AsyncSequence` (one consumer).
///
/// Decoding runs on its own task. A gap in the RTP timestamps (lost packets)
/// is filled by the decoder's packet-loss concealment, up to
/// ``maximumConcealment``; a longer gap is left as a gap. When the consumer
/// falls behind, at most ``bufferedFrames`` frames wait; older ones are
/// dropped. The sequence finishes when the connection closes or the remote
/// side stops sending.
public final class RemoteAudioTrack: AsyncSequence, Sendable {
    /// Decoded frames.
    public typealias Element = RemoteAudioFrame
    /// How many frames wait for a slow consumer (one second of 20 ms frames).
    public static let bufferedFrames = 50
    /// The longest gap concealed.
    public static let maximumConcealment: Duration = .milliseconds(200)

    /// What was negotiated for the track.
    public let info: RemoteTrackInfo
    /// The channel count of the decoded PCM.
    public let channelCount: Int
    private let frames: AsyncStream<RemoteAudioFrame>
    private let counters = Mutex((decoded: 0, concealedSamples: 0, failed: 0))

    init(
        info: RemoteTrackInfo, channelCount: Int, encodedFrames: AsyncStream<ReceivedFrame>,
        decoder makeDecoder: @escaping @Sendable (Int) throws -> any AudioDecoder
    ) {
        self.info = info
        self.channelCount = channelCount
        let (frames, continuation) = AsyncStream.makeStream(
            of: RemoteAudioFrame.self, bufferingPolicy: .bufferingNewest(Self.bufferedFrames))
        self.frames = frames
        let decoding = Task { [weak self] in
            guard var decoder = try? makeDecoder(channelCount) else {
                continuation.finish()
                return
            }
            var expected: Duration?
            for await encoded in encodedFrames {
                // Conceal what was lost between the last packet and this one.
                if let next = expected, encoded.timestamp > next, encoded.timestamp - next <= Self.maximumConcealment {
                    var time = next
                    while time < encoded.timestamp, let pcm = try? decoder.decode(nil), !pcm.isEmpty {
                        let frame = AudioFrame(samples: pcm, sampleRate: decoder.sampleRate, channelCount: decoder.channelCount, timestamp: time)
                        self?.counters.withLock { $0.concealedSamples += frame.samplesPerChannel }
                        continuation.yield(RemoteAudioFrame(encoded: nil, pcm: frame))
                        time += frame.duration
                    }
                }
                guard let pcm = try? decoder.decode(encoded.data) else {
                    self?.counters.withLock { $0.failed += 1 }
                    continue
                }
                let frame = AudioFrame(
                    samples: pcm, sampleRate: decoder.sampleRate, channelCount: decoder.channelCount, timestamp: encoded.timestamp)
                self?.counters.withLock { $0.decoded += 1 }
                continuation.yield(RemoteAudioFrame(encoded: encoded, pcm: frame))
                expected = encoded.timestamp + frame.duration
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in decoding.cancel() }
    }

    /// An iterator over the decoded frames.
    public func makeAsyncIterator() -> AsyncStream<RemoteAudioFrame>.Iterator { frames.makeAsyncIterator() }

    /// Packets decoded so far.
    public var framesDecoded: Int { counters.withLock { $0.decoded } }
    /// Samples (per channel) the decoder made up for lost packets.
    public var concealedSamples: Int { counters.withLock { $0.concealedSamples } }
    /// Packets the decoder refused.
    public var framesFailedToDecode: Int { counters.withLock { $0.failed } }
}
