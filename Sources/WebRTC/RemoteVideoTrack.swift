public import CodecBridge
import Synchronization

/// One video frame received from the remote peer: the VP8 frame as it came
/// off the wire, and the picture decoded from it.
public struct RemoteVideoFrame: Sendable {
    /// The encoded frame (what an IVF file stores).
    public var encoded: ReceivedVideoFrame
    /// The decoded picture.
    public var image: I420Frame
}

/// The video track the remote peer sends: decoded frames, in order.
///
/// Decoding runs on its own task. A frame the decoder cannot use (lost
/// packets, no key frame yet) is skipped and a key frame is requested from
/// the sender.
public final class RemoteVideoTrack: Sendable {
    /// Decoded frames; finishes when the connection closes.
    public let frames: AsyncStream<RemoteVideoFrame>
    private let counters = DecodeCounters()

    init(encodedFrames: AsyncStream<ReceivedVideoFrame>, requestKeyFrame: @escaping @Sendable () async -> Void) {
        let (frames, continuation) = AsyncStream.makeStream(of: RemoteVideoFrame.self, bufferingPolicy: .bufferingNewest(256))
        self.frames = frames
        let counters = self.counters
        let task = Task {
            guard let decoder = try? VP8Decoder() else {
                continuation.finish()
                return
            }
            for await encoded in encodedFrames {
                do {
                    guard let image = try decoder.decode(encoded.data, timestamp: encoded.timestamp) else { continue }
                    counters.value.withLock { $0.decoded += 1 }
                    continuation.yield(RemoteVideoFrame(encoded: encoded, image: image))
                } catch {
                    counters.value.withLock { $0.failed += 1 }
                    await requestKeyFrame()
                }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
    }

    /// Frames decoded so far.
    public var framesDecoded: Int { counters.value.withLock { $0.decoded } }
    /// Frames the decoder refused (each led to a key-frame request).
    public var framesFailedToDecode: Int { counters.value.withLock { $0.failed } }
}

/// Counters shared between a track and its decoding task.
private final class DecodeCounters: Sendable {
    let value = Mutex((decoded: 0, failed: 0))
}
