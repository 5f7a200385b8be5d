public import CodecBridge
import Synchronization

/// One video frame received from the remote peer: the frame as it came off
/// the wire, and the picture decoded from it.
public struct RemoteVideoFrame: Sendable {
    /// The encoded frame (what an IVF file stores), with its timestamps.
    public var encoded: ReceivedFrame
    /// The decoded picture.
    public var image: I420Frame
}

/// The video the remote peer sends on one transceiver: decoded frames, in
/// order, as an `AsyncSequence` (one consumer).
///
/// Decoding runs on its own task. A frame the decoder cannot use (lost
/// packets, no key frame yet) is skipped and a key frame is requested from
/// the sender. When the consumer falls behind, at most
/// ``bufferedFrames`` decoded frames wait; older ones are dropped (a live
/// stream would rather skip than lag). The sequence finishes when the
/// connection closes or the remote side stops sending.
public final class RemoteVideoTrack: AsyncSequence, Sendable {
    /// Decoded frames.
    public typealias Element = RemoteVideoFrame
    /// How many decoded frames wait for a slow consumer (about a second at 30 fps).
    public static let bufferedFrames = 30

    /// What was negotiated for the track.
    public let info: RemoteTrackInfo
    private let frames: AsyncStream<RemoteVideoFrame>
    private let counters = Mutex((decoded: 0, failed: 0))

    init(
        info: RemoteTrackInfo, encodedFrames: AsyncStream<ReceivedFrame>, decoder makeDecoder: @escaping @Sendable () throws -> any VideoDecoder,
        requestKeyFrame: @escaping @Sendable () async -> Void
    ) {
        self.info = info
        let (frames, continuation) = AsyncStream.makeStream(
            of: RemoteVideoFrame.self, bufferingPolicy: .bufferingNewest(Self.bufferedFrames))
        self.frames = frames
        let decoding = Task { [weak self] in
            guard var decoder = try? makeDecoder() else {
                continuation.finish()
                return
            }
            for await encoded in encodedFrames {
                do {
                    guard let image = try decoder.decode(encoded.data, timestamp: encoded.timestamp) else { continue }
                    self?.counters.withLock { $0.decoded += 1 }
                    continuation.yield(RemoteVideoFrame(encoded: encoded, image: image))
                } catch {
                    self?.counters.withLock { $0.failed += 1 }
                    await requestKeyFrame()
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in decoding.cancel() }
    }

    /// An iterator over the decoded frames.
    public func makeAsyncIterator() -> AsyncStream<RemoteVideoFrame>.Iterator { frames.makeAsyncIterator() }

    /// Frames decoded so far.
    public var framesDecoded: Int { counters.withLock { $0.decoded } }
    /// Frames the decoder refused (each led to a key-frame request).
    public var framesFailedToDecode: Int { counters.withLock { $0.failed } }
}
