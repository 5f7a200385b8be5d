import CVPX

/// A real-time VP8 encoder over libvpx.
///
/// Each call to ``encode(_:forceKeyFrame:)`` returns the frame at once (no
/// look-ahead). The first frame, frames after a size change and frames after
/// ``requestKeyFrame()`` are key frames. Timestamps go to libvpx on a 90 kHz
/// clock, as RTP video uses.
///
/// The encoder holds libvpx state and belongs to one owner at a time; it is
/// deliberately not `Sendable`.
public final class VP8Encoder: VideoEncoder {
    /// The current settings (width and height follow the last frame's size).
    public private(set) var configuration: Configuration

    /// The clock rate of the timestamps handed to libvpx.
    static let clockRate = 90_000

    private let context: UnsafeMutablePointer<vpx_codec_ctx_t>
    private var encoderConfig = vpx_codec_enc_cfg_t()
    private var image: UnsafeMutablePointer<vpx_image_t>?
    private var isInitialized = false
    private var keyFrameRequested = false
    private var lastPTS: Int64?

    /// The target bitrate in bits per second.
    public var bitrate: Int { configuration.bitrate }

    /// Creates an encoder.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for settings out of range,
    ///   ``CodecError/Code/codecInitializationFailed`` if libvpx refuses them.
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
        context = .allocate(capacity: 1)
        context.initialize(to: vpx_codec_ctx_t())
        try setUp()
    }

    deinit {
        tearDown()
        context.deinitialize(count: 1)
        context.deallocate()
    }

    /// Makes the next encoded frame a key frame.
    public func requestKeyFrame() {
        keyFrameRequested = true
    }

    /// Changes the target bitrate from the next frame on (`vpx_codec_enc_config_set`).
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` if out of range or refused.
    public func setBitrate(_ bitsPerSecond: Int) throws {
        var updated = configuration
        updated.bitrate = bitsPerSecond
        try updated.validate()
        guard isInitialized else {
            // The next encode sets libvpx up afresh with the new value.
            configuration = updated
            return
        }
        var newConfig = encoderConfig
        newConfig.rc_target_bitrate = UInt32(Self.kilobits(bitsPerSecond))
        let status = vpx_codec_enc_config_set(context, &newConfig)
        guard status == VPX_CODEC_OK else {
            throw CodecError(.invalidConfiguration, "libvpx refused the bitrate: \(VPXSupport.describe(status, context: context))")
        }
        encoderConfig = newConfig
        configuration = updated
    }

    /// Encodes one frame.
    ///
    /// A frame whose size differs from the configuration's reconfigures the
    /// encoder for the new size; its output is a key frame.
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` if the planes do not fit the
    ///   frame's size or the size exceeds VP8's limit; ``CodecError/Code/encodingFailed``.
    public func encode(_ frame: I420Frame, forceKeyFrame: Bool) throws -> [EncodedVideoFrame] {
        guard frame.hasValidPlanes else {
            throw CodecError(.invalidInput, "the frame's planes do not fit its size \(frame.width)x\(frame.height)")
        }
        guard frame.width <= Configuration.maximumDimension, frame.height <= Configuration.maximumDimension else {
            throw CodecError(.invalidInput, "VP8 cannot code a \(frame.width)x\(frame.height) picture")
        }
        if frame.width != configuration.width || frame.height != configuration.height || !isInitialized {
            tearDown()
            configuration.width = frame.width
            configuration.height = frame.height
            try setUp()
        }
        guard let image else { throw CodecError(.encodingFailed, "the encoder has no image buffer") }
        VPXSupport.copy(frame, into: image)

        // libvpx wants increasing presentation times; keep them so even if the caller's are not.
        var pts = max(0, MediaTime.ticks(frame.timestamp, clockRate: Self.clockRate))
        if let lastPTS, pts <= lastPTS { pts = lastPTS + 1 }
        let frameDuration = max(1, Self.clockRate / configuration.frameRate)

        var flags = vpx_enc_frame_flags_t(0)
        if forceKeyFrame || keyFrameRequested { flags |= vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF) }
        let status = vpx_codec_encode(context, image, vpx_codec_pts_t(pts), UInt(frameDuration), flags, UInt(VPX_DL_REALTIME))
        guard status == VPX_CODEC_OK else {
            throw CodecError(.encodingFailed, "vpx_codec_encode failed: \(VPXSupport.describe(status, context: context))")
        }
        lastPTS = pts
        keyFrameRequested = false

        var output: [EncodedVideoFrame] = []
        var iterator: vpx_codec_iter_t?
        while let packet = vpx_codec_get_cx_data(context, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let compressed = packet.pointee.data.frame
            guard let buffer = compressed.buf, compressed.sz > 0 else { continue }
            output.append(EncodedVideoFrame(
                data: Array(UnsafeRawBufferPointer(start: buffer, count: compressed.sz)),
                isKeyFrame: compressed.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY) != 0,
                timestamp: frame.timestamp,
                width: frame.width,
                height: frame.height
            ))
        }
        return output
    }

    /// Encodes one frame, as a key frame only if one was requested or is due.
    public func encode(_ frame: I420Frame) throws -> [EncodedVideoFrame] {
        try encode(frame, forceKeyFrame: false)
    }

    // MARK: - libvpx set-up

    private static func kilobits(_ bitsPerSecond: Int) -> Int { max(1, (bitsPerSecond + 500) / 1_000) }

    /// Creates the libvpx encoder and its input image for the current configuration.
    private func setUp() throws {
        guard let interface = vpx_codec_vp8_cx() else {
            throw CodecError(.codecInitializationFailed, "libvpx has no VP8 encoder")
        }
        var config = vpx_codec_enc_cfg_t()
        var status = vpx_codec_enc_config_default(interface, &config, 0)
        guard status == VPX_CODEC_OK else {
            throw CodecError(.codecInitializationFailed, "no default VP8 configuration: \(VPXSupport.describe(status, context: nil))")
        }
        config.g_w = UInt32(configuration.width)
        config.g_h = UInt32(configuration.height)
        config.g_timebase.num = 1
        config.g_timebase.den = Int32(Self.clockRate)
        config.g_threads = UInt32(configuration.threadCount)
        config.g_lag_in_frames = 0
        config.g_pass = VPX_RC_ONE_PASS
        config.g_error_resilient = configuration.isErrorResilient ? vpx_codec_er_flags_t(VPX_ERROR_RESILIENT_DEFAULT) : 0
        config.rc_end_usage = VPX_CBR
        config.rc_target_bitrate = UInt32(Self.kilobits(configuration.bitrate))
        config.rc_dropframe_thresh = UInt32(configuration.frameDropThreshold)
        config.rc_resize_allowed = 0
        config.rc_min_quantizer = UInt32(configuration.minimumQuantizer)
        config.rc_max_quantizer = UInt32(configuration.maximumQuantizer)
        config.rc_undershoot_pct = 100
        config.rc_overshoot_pct = 15
        config.rc_buf_initial_sz = 500
        config.rc_buf_optimal_sz = 600
        config.rc_buf_sz = 1_000
        config.kf_mode = VPX_KF_AUTO
        config.kf_min_dist = 0
        config.kf_max_dist = UInt32(configuration.maximumKeyFrameInterval)

        status = cvpx_codec_enc_init(context, interface, &config, 0)
        guard status == VPX_CODEC_OK else {
            throw CodecError(.codecInitializationFailed, "vpx_codec_enc_init failed: \(VPXSupport.describe(status, context: context))")
        }
        isInitialized = true
        encoderConfig = config

        // Key frames may take up to this share of the per-frame budget (percent),
        // as WebRTC computes it from the optimal buffer size and the frame rate.
        let maximumIntraPercent = max(300, 600 / 2 * configuration.frameRate / 10)
        let controls: [(vp8e_enc_control_id, Int32)] = [
            (VP8E_SET_CPUUSED, Int32(configuration.cpuUsed)),
            (VP8E_SET_STATIC_THRESHOLD, 1),
            (VP8E_SET_TOKEN_PARTITIONS, Int32(VP8_ONE_TOKENPARTITION.rawValue)),
            (VP8E_SET_MAX_INTRA_BITRATE_PCT, Int32(maximumIntraPercent)),
        ]
        for (control, value) in controls {
            status = cvpx_codec_control_int(context, Int32(control.rawValue), value)
            guard status == VPX_CODEC_OK else {
                tearDown()
                throw CodecError(.codecInitializationFailed, "a VP8 encoder control failed: \(VPXSupport.describe(status, context: nil))")
            }
        }

        guard let newImage = vpx_img_alloc(nil, VPX_IMG_FMT_I420, UInt32(configuration.width), UInt32(configuration.height), 32) else {
            tearDown()
            throw CodecError(.codecInitializationFailed, "could not allocate a \(configuration.width)x\(configuration.height) image")
        }
        image = newImage
        // A new encoder starts with a key frame; its timestamps start afresh.
        lastPTS = nil
    }

    /// Destroys the libvpx encoder and its image, if any.
    private func tearDown() {
        if isInitialized {
            vpx_codec_destroy(context)
            isInitialized = false
        }
        if let image {
            vpx_img_free(image)
            self.image = nil
        }
    }
}
