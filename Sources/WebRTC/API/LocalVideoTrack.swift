public import CodecBridge
import Synchronization

/// A video track this side sends: raw frames in, encoded by any
/// `VideoEncoder` (VP8 by default), out over the connection.
///
/// Encoding runs on the caller's task (not on the connection's event loop);
/// the encoded frame then goes to the connection for packetization and SRTP.
/// Key-frame requests from the remote side (PLI, FIR), the moment the
/// connection comes up, and a frame the connection could not send make the
/// next frame a key frame.
public final class LocalVideoTrack: Sendable {
    /// The transceiver it is sent on.
    public let transceiverID: Int
    private let encoder: Mutex<any VideoEncoder>
    private let keyFrameWanted = Mutex(true)
    private weak let connection: PeerConnection?

    init(encoder: sending any VideoEncoder, transceiverID: Int, connection: PeerConnection) {
        self.encoder = Mutex(encoder)
        self.transceiverID = transceiverID
        self.connection = connection
    }

    /// Makes the next encoded frame a key frame.
    public func requestKeyFrame() {
        keyFrameWanted.withLock { $0 = true }
    }

    /// The encoder's target bitrate.
    public var bitrate: Int { encoder.withLock { $0.bitrate } }

    /// Changes the target bitrate (bits per second).
    public func setBitrate(_ bitsPerSecond: Int) throws {
        try encoder.withLock { try $0.setBitrate(bitsPerSecond) }
    }

    /// Encodes `frame` and sends it, stamped with `captureTime` (now by
    /// default) on the monotonic clock every track of the connection shares.
    /// Frames sent before the connection is up are encoded and dropped.
    ///
    /// - Returns: Whether the frame went out.
    @discardableResult
    public func send(_ frame: I420Frame, captureTime: ContinuousClock.Instant = .now) async throws -> Bool {
        let forceKeyFrame = keyFrameWanted.withLock { wanted in
            defer { wanted = false }
            return wanted
        }
        let encoded = try encoder.withLock { try $0.encode(frame, forceKeyFrame: forceKeyFrame) }
        guard let connection else { return false }
        var sent = false
        for output in encoded {
            sent = await connection.sendEncoded(
                output.data, isKeyFrame: output.isKeyFrame, captureTime: captureTime, audioLevel: nil, on: transceiverID).sent || sent
        }
        if !sent, !encoded.isEmpty {
            // The receiver never saw this frame, but the encoder's next one
            // would refer to it: the next frame must be a key frame.
            requestKeyFrame()
        }
        return sent
    }
}
