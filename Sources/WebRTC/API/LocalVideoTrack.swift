public import CodecBridge
import Synchronization

/// A video track this side sends: raw frames in, encoded by any
/// `VideoEncoder` (VP8 by default), out over the connection.
///
/// Encoding runs on the caller's task (not on the connection's event loop);
/// the encoded frame then goes to the connection for packetization and SRTP.
/// Key-frame requests from the remote side (PLI, FIR), the moment the
/// connection comes up, and a frame the connection could not send make the
/// next frame a key frame. The encoder's bitrate follows the connection's
/// bandwidth estimate, never above the bitrate set here; at a very low
/// estimate frames are skipped down to 15 or 10 a second.
public final class LocalVideoTrack: Sendable {
    /// The transceiver it is sent on.
    public let transceiverID: Int
    private let encoder: Mutex<any VideoEncoder>
    private let keyFrameWanted = Mutex(true)
    private let follower: Mutex<EncoderBitrateFollower>
    /// When the last frame that went out was captured.
    private let lastFrame = Mutex<ContinuousClock.Instant?>(nil)
    private weak let connection: PeerConnection?

    init(encoder: sending any VideoEncoder, transceiverID: Int, connection: PeerConnection) {
        follower = Mutex(EncoderBitrateFollower(maximum: encoder.bitrate))
        self.encoder = Mutex(encoder)
        self.transceiverID = transceiverID
        self.connection = connection
    }

    /// Makes the next encoded frame a key frame.
    public func requestKeyFrame() {
        keyFrameWanted.withLock { $0 = true }
    }

    /// The encoder's target bitrate now.
    public var bitrate: Int { encoder.withLock { $0.bitrate } }

    /// The most the encoder may use (bits per second); the connection's
    /// bandwidth estimate may set it lower.
    public var maximumBitrate: Int { follower.withLock { $0.maximum } }

    /// Changes the most the encoder may use (bits per second).
    public func setBitrate(_ bitsPerSecond: Int) throws {
        try encoder.withLock { encoder in
            try encoder.setBitrate(bitsPerSecond)  // refuses a value out of the encoder's range
            let applied = follower.withLock { follower in
                _ = follower.setMaximum(bitsPerSecond)
                return follower.current
            }
            if applied != bitsPerSecond { try encoder.setBitrate(applied) }
        }
    }

    /// Encodes `frame` and sends it, stamped with `captureTime` (now by
    /// default) on the monotonic clock every track of the connection shares.
    /// Frames sent before the connection is up are encoded and dropped.
    ///
    /// - Returns: Whether the frame went out: not before the connection is
    ///   up, nor when it was skipped to lower the frame rate.
    @discardableResult
    public func send(_ frame: I420Frame, captureTime: ContinuousClock.Instant = .now) async throws -> Bool {
        // At a very low bitrate, fewer frames with more bits each.
        if let interval = follower.withLock({ $0.minimumFrameInterval }),
            let last = lastFrame.withLock({ $0 }), captureTime - last < interval * 9 / 10
        {
            return false
        }
        let forceKeyFrame = keyFrameWanted.withLock { wanted in
            defer { wanted = false }
            return wanted
        }
        let encoded = try encoder.withLock { try $0.encode(frame, forceKeyFrame: forceKeyFrame) }
        guard let connection else { return false }
        var sent = false
        var target: Int?
        for output in encoded {
            let result = await connection.sendEncoded(
                output.data, isKeyFrame: output.isKeyFrame, captureTime: captureTime, audioLevel: nil, on: transceiverID)
            sent = result.sent || sent
            target = result.targetBitrate
        }
        if sent { lastFrame.withLock { $0 = captureTime } }
        if let bitrate = follower.withLock({ $0.bitrate(forTarget: target) }) {
            try? encoder.withLock { try $0.setBitrate(bitrate) }
        }
        if !sent, !encoded.isEmpty {
            // The receiver never saw this frame, but the encoder's next one
            // would refer to it: the next frame must be a key frame.
            requestKeyFrame()
        }
        return sent
    }
}
