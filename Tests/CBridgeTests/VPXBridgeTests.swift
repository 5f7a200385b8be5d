import CVPX
import Foundation
import Testing

@Suite("libvpx VP8 bridge")
struct VPXBridgeTests {
    static let width = 320
    static let height = 240
    /// The bright square drawn over the gradient: columns and rows it covers.
    static let squareColumns = 112..<176
    static let squareRows = 80..<144
    static let squareLuma: UInt8 = 235

    /// Test pattern luma: a left-to-right gradient from 16 to 216 with a bright square.
    static func patternLuma(x: Int, y: Int) -> UInt8 {
        if squareColumns.contains(x) && squareRows.contains(y) { return squareLuma }
        return UInt8(16 + x * 200 / (width - 1))
    }

    /// Reads the luma plane of a (possibly padded) image into a tightly packed array.
    static func lumaPlane(of image: UnsafePointer<vpx_image_t>) -> [UInt8] {
        let plane = image.pointee.planes.0!
        let stride = Int(image.pointee.stride.0)
        let rows = Int(image.pointee.d_h)
        let columns = Int(image.pointee.d_w)
        var luma = [UInt8]()
        luma.reserveCapacity(rows * columns)
        for y in 0..<rows {
            luma.append(contentsOf: UnsafeBufferPointer(start: plane + y * stride, count: columns))
        }
        return luma
    }

    /// Fills an I420 image with the test pattern (neutral chroma).
    static func fill(_ image: UnsafeMutablePointer<vpx_image_t>) {
        let lumaStride = Int(image.pointee.stride.0)
        let lumaPlane = image.pointee.planes.0!
        for y in 0..<height {
            for x in 0..<width {
                lumaPlane[y * lumaStride + x] = patternLuma(x: x, y: y)
            }
        }
        let chromaWidth = (width + 1) / 2
        let chromaHeight = (height + 1) / 2
        for (plane, stride) in [
            (image.pointee.planes.1!, Int(image.pointee.stride.1)),
            (image.pointee.planes.2!, Int(image.pointee.stride.2)),
        ] {
            for y in 0..<chromaHeight {
                (plane + y * stride).update(repeating: 128, count: chromaWidth)
            }
        }
    }

    /// Collects the compressed frames the encoder has ready.
    static func drainFrames(from encoder: inout vpx_codec_ctx_t) -> [(data: [UInt8], flags: vpx_codec_frame_flags_t)] {
        var frames: [(data: [UInt8], flags: vpx_codec_frame_flags_t)] = []
        var iterator: vpx_codec_iter_t?
        while let packet = vpx_codec_get_cx_data(&encoder, &iterator) {
            guard packet.pointee.kind == VPX_CODEC_CX_FRAME_PKT else { continue }
            let frame = packet.pointee.data.frame
            let bytes = UnsafeRawBufferPointer(start: frame.buf, count: frame.sz)
            frames.append((Array(bytes), frame.flags))
        }
        return frames
    }

    @Test("a forced VP8 key frame decodes back to the input picture")
    func keyFrameRoundTrip() throws {
        // Encoder configuration: 320x240, 1/30 s timebase, ~800 kbit/s.
        let encoderInterface = try #require(vpx_codec_vp8_cx())
        var config = vpx_codec_enc_cfg_t()
        try #require(vpx_codec_enc_config_default(encoderInterface, &config, 0) == VPX_CODEC_OK)
        config.g_w = UInt32(Self.width)
        config.g_h = UInt32(Self.height)
        config.g_timebase.num = 1
        config.g_timebase.den = 30
        config.rc_target_bitrate = 800

        var encoder = vpx_codec_ctx_t()
        try #require(cvpx_codec_enc_init(&encoder, encoderInterface, &config, 0) == VPX_CODEC_OK)
        defer { #expect(vpx_codec_destroy(&encoder) == VPX_CODEC_OK) }
        #expect(cvpx_codec_control_int(&encoder, Int32(VP8E_SET_CPUUSED.rawValue), 4) == VPX_CODEC_OK)

        let image = try #require(
            vpx_img_alloc(nil, VPX_IMG_FMT_I420, UInt32(Self.width), UInt32(Self.height), 1)
        )
        defer { vpx_img_free(image) }
        Self.fill(image)
        let inputLuma = Self.lumaPlane(of: image)

        // Encode one forced key frame in real-time mode, then flush.
        let encodeStatus = vpx_codec_encode(
            &encoder, image, 0, 1,
            vpx_enc_frame_flags_t(VPX_EFLAG_FORCE_KF), UInt(VPX_DL_REALTIME)
        )
        try #require(encodeStatus == VPX_CODEC_OK)
        var frames = Self.drainFrames(from: &encoder)
        try #require(vpx_codec_encode(&encoder, nil, 0, 0, 0, UInt(VPX_DL_REALTIME)) == VPX_CODEC_OK)
        frames += Self.drainFrames(from: &encoder)

        #expect(frames.count == 1)
        let keyFrame = try #require(frames.first)
        #expect(keyFrame.flags & vpx_codec_frame_flags_t(VPX_FRAME_IS_KEY) != 0)
        #expect(!keyFrame.data.isEmpty)
        #expect(keyFrame.data.count < Self.width * Self.height * 3 / 2, "the key frame should be compressed")

        // Decode it.
        let decoderInterface = try #require(vpx_codec_vp8_dx())
        var decoder = vpx_codec_ctx_t()
        try #require(cvpx_codec_dec_init(&decoder, decoderInterface, nil, 0) == VPX_CODEC_OK)
        defer { #expect(vpx_codec_destroy(&decoder) == VPX_CODEC_OK) }
        let decodeStatus = keyFrame.data.withUnsafeBufferPointer { data in
            vpx_codec_decode(&decoder, data.baseAddress, UInt32(data.count), nil, 0)
        }
        try #require(decodeStatus == VPX_CODEC_OK)

        var iterator: vpx_codec_iter_t?
        let decoded = try #require(vpx_codec_get_frame(&decoder, &iterator))
        #expect(vpx_codec_get_frame(&decoder, &iterator) == nil, "one input frame gives one output frame")
        #expect(decoded.pointee.fmt == VPX_IMG_FMT_I420)
        #expect(decoded.pointee.d_w == UInt32(Self.width))
        #expect(decoded.pointee.d_h == UInt32(Self.height))
        try #require(decoded.pointee.d_w == UInt32(Self.width) && decoded.pointee.d_h == UInt32(Self.height))

        // Compare the decoded luma with the input.
        let outputLuma = Self.lumaPlane(of: decoded)
        var absoluteErrorSum = 0
        var squaredErrorSum = 0
        for (input, output) in zip(inputLuma, outputLuma) {
            let difference = Int(input) - Int(output)
            absoluteErrorSum += abs(difference)
            squaredErrorSum += difference * difference
        }
        let sampleCount = Double(inputLuma.count)
        let meanAbsoluteError = Double(absoluteErrorSum) / sampleCount
        let meanSquaredError = Double(squaredErrorSum) / sampleCount
        let psnr = meanSquaredError == 0 ? Double.infinity : 10 * log10(255 * 255 / meanSquaredError)
        #expect(meanAbsoluteError < 4, "luma mean absolute error \(meanAbsoluteError)")
        #expect(psnr > 30, "luma PSNR \(psnr) dB")

        // The picture is recognisable: the square is bright and the gradient rises left to right.
        func decodedLuma(x: Int, y: Int) -> Int { Int(outputLuma[y * Self.width + x]) }
        let squareCentre = decodedLuma(
            x: (Self.squareColumns.lowerBound + Self.squareColumns.upperBound) / 2,
            y: (Self.squareRows.lowerBound + Self.squareRows.upperBound) / 2
        )
        #expect(abs(squareCentre - Int(Self.squareLuma)) <= 8)
        let row = 20
        #expect(decodedLuma(x: 8, y: row) < decodedLuma(x: Self.width / 2, y: row))
        #expect(decodedLuma(x: Self.width / 2, y: row) < decodedLuma(x: Self.width - 8, y: row))
    }
}
