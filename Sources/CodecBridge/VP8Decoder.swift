import CVPX

/// A VP8 decoder over libvpx.
///
/// Each call to ``decode(_:timestamp:)`` takes one complete frame. Bad input
/// (garbage, truncated frames, inter frames before the first key frame) throws
/// a ``CodecError`` and never traps. After an error the decoder drops inter
/// frames with ``CodecError/Code/keyFrameRequired`` until the next key frame,
/// so that a corrupt reference never shows; ask the sender for a key frame
/// (RTCP PLI) when that error appears. Size changes on key frames are followed.
///
/// The decoder holds libvpx state and belongs to one owner at a time; it is
/// deliberately not `Sendable`.
public final class VP8Decoder: VideoDecoder {
    private let context: UnsafeMutablePointer<vpx_codec_ctx_t>

    /// Whether inter frames are being dropped until a key frame arrives (true
    /// before the first key frame and after a corrupt frame).
    public private(set) var isWaitingForKeyFrame = true

    /// Creates a decoder.
    ///
    /// - Parameter threadCount: decoder threads, 1 to 16.
    /// - Throws: ``CodecError/Code/codecInitializationFailed`` if libvpx cannot start one.
    public init(threadCount: Int = 1) throws {
        guard (1...16).contains(threadCount) else {
            throw CodecError(.invalidConfiguration, "thread count \(threadCount) is out of range")
        }
        guard let interface = vpx_codec_vp8_dx() else {
            throw CodecError(.codecInitializationFailed, "libvpx has no VP8 decoder")
        }
        context = .allocate(capacity: 1)
        context.initialize(to: vpx_codec_ctx_t())
        var config = vpx_codec_dec_cfg_t(threads: UInt32(threadCount), w: 0, h: 0)
        let status = cvpx_codec_dec_init(context, interface, &config, 0)
        guard status == VPX_CODEC_OK else {
            let message = VPXSupport.describe(status, context: nil)
            context.deinitialize(count: 1)
            context.deallocate()
            throw CodecError(.codecInitializationFailed, "vpx_codec_dec_init failed: \(message)")
        }
    }

    deinit {
        vpx_codec_destroy(context)
        context.deinitialize(count: 1)
        context.deallocate()
    }

    /// Decodes one complete VP8 frame.
    ///
    /// - Returns: the picture, or `nil` for a frame that is not shown.
    /// - Throws: ``CodecError/Code/truncatedFrame`` or ``CodecError/Code/corruptFrame``
    ///   for malformed input, ``CodecError/Code/keyFrameRequired`` for an inter
    ///   frame while ``isWaitingForKeyFrame`` is set.
    public func decode(_ data: [UInt8], timestamp: Duration) throws -> I420Frame? {
        let header: VP8FrameHeader
        do {
            header = try VP8FrameHeader(parsing: data)
        } catch {
            // A frame we cannot even read the header of leaves the references
            // as they were, but whatever it carried is lost.
            isWaitingForKeyFrame = true
            throw error
        }
        if isWaitingForKeyFrame && !header.isKeyFrame {
            throw CodecError(.keyFrameRequired, "an inter frame cannot be decoded before a key frame")
        }
        guard data.count <= Int(UInt32.max) else {
            throw CodecError(.corruptFrame, "a VP8 frame of \(data.count) bytes is too large")
        }

        let status = data.withUnsafeBufferPointer { bytes in
            vpx_codec_decode(context, bytes.baseAddress, UInt32(bytes.count), nil, 0)
        }
        guard status == VPX_CODEC_OK else {
            isWaitingForKeyFrame = true
            throw CodecError(.corruptFrame, "libvpx could not decode the frame: \(VPXSupport.describe(status, context: context))")
        }
        var corrupted: Int32 = 0
        let queryStatus = cvpx_codec_control_int_pointer(context, Int32(VP8D_GET_FRAME_CORRUPTED.rawValue), &corrupted)

        // Always drain the decoder's output so that it never holds a stale picture.
        var iterator: vpx_codec_iter_t?
        var picture: I420Frame?
        while let image = vpx_codec_get_frame(context, &iterator) {
            picture = VPXSupport.frame(from: image, timestamp: timestamp)
            if picture == nil {
                isWaitingForKeyFrame = true
                throw CodecError(.corruptFrame, "libvpx returned a picture that is not 8-bit I420")
            }
        }
        guard queryStatus == VPX_CODEC_OK, corrupted == 0 else {
            isWaitingForKeyFrame = true
            throw CodecError(.corruptFrame, "the frame decoded with errors (truncated or damaged data)")
        }
        isWaitingForKeyFrame = false
        return picture
    }

    /// Decodes an encoded frame, keeping its timestamp.
    public func decode(_ frame: EncodedVideoFrame) throws -> I420Frame? {
        try decode(frame.data, timestamp: frame.timestamp)
    }
}
