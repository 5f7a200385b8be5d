public import CodecBridge
import Synchronization

/// A video track this side sends: raw frames in, VP8 over the connection.
///
/// Encoding runs on the caller's task (not on the connection's event loop);
/// the encoded frame then goes to the connection for packetization and SRTP.
/// Key-frame requests from the remote side (PLI, FIR) and the moment the
/// connection comes up make the next frame a key frame.
public final class LocalVideoTrack: Sendable {
    /// The encoder settings.
    public let configuration: VP8Encoder.Configuration
    private let encoder: Mutex<VP8Encoder>
    private let keyFrameWanted = Mutex(true)
    private weak let connection: PeerConnection?

    init(configuration: VP8Encoder.Configuration, connection: PeerConnection) throws {
        self.configuration = configuration
        self.encoder = Mutex(try VP8Encoder(configuration: configuration))
        self.connection = connection
    }

    /// Makes the next encoded frame a key frame.
    public func requestKeyFrame() {
        keyFrameWanted.withLock { $0 = true }
    }

    /// Changes the target bitrate (bits per second).
    public func setBitrate(_ bitsPerSecond: Int) throws {
        try encoder.withLock { try $0.setBitrate(bitsPerSecond) }
    }

    /// Encodes `frame` and sends it. Frames sent before the connection is
    /// up are encoded and dropped.
    ///
    /// - Returns: Whether the frame went out.
    @discardableResult
    public func send(_ frame: I420Frame) async throws -> Bool {
        let forceKeyFrame = keyFrameWanted.withLock { wanted in
            defer { wanted = false }
            return wanted
        }
        let encoded = try encoder.withLock { try $0.encode(frame, forceKeyFrame: forceKeyFrame) }
        guard let connection else { return false }
        var sent = false
        for output in encoded {
            sent = await connection.sendEncodedVideo(output) || sent
        }
        if !sent, forceKeyFrame {
            requestKeyFrame()  // the key frame was not delivered; try again with the next one
        }
        return sent
    }
}
