import CVPX

/// Helpers shared by the VP8 encoder and decoder (internal: no libvpx type leaves the module).
enum VPXSupport {
    /// libvpx's text for a status code, with the context's detail if it has one.
    static func describe(_ status: vpx_codec_err_t, context: UnsafeMutablePointer<vpx_codec_ctx_t>?) -> String {
        var text = vpx_codec_err_to_string(status).map { String(cString: $0) } ?? "error \(status.rawValue)"
        if let context, let detail = vpx_codec_error_detail(context) {
            text += " (\(String(cString: detail)))"
        }
        return text
    }

    /// Copies a tightly packed I420 frame into a libvpx image of the same size,
    /// honouring the image's strides.
    static func copy(_ frame: I420Frame, into image: UnsafeMutablePointer<vpx_image_t>) {
        let chromaWidth = frame.chromaWidth
        let chromaHeight = frame.chromaHeight
        copyPlane(frame.y, width: frame.width, height: frame.height,
                  into: image.pointee.planes.0, stride: Int(image.pointee.stride.0))
        copyPlane(frame.u, width: chromaWidth, height: chromaHeight,
                  into: image.pointee.planes.1, stride: Int(image.pointee.stride.1))
        copyPlane(frame.v, width: chromaWidth, height: chromaHeight,
                  into: image.pointee.planes.2, stride: Int(image.pointee.stride.2))
    }

    private static func copyPlane(
        _ plane: [UInt8], width: Int, height: Int,
        into destination: UnsafeMutablePointer<UInt8>?, stride: Int
    ) {
        guard let destination else { return }
        plane.withUnsafeBufferPointer { source in
            guard let base = source.baseAddress else { return }
            for row in 0..<height {
                (destination + row * stride).update(from: base + row * width, count: width)
            }
        }
    }

    /// Copies a decoded libvpx I420 image into a tightly packed frame, or returns
    /// `nil` if the image is not 8-bit 4:2:0 or has an unusable size.
    static func frame(from image: UnsafePointer<vpx_image_t>, timestamp: Duration) -> I420Frame? {
        let pointee = image.pointee
        guard pointee.fmt == VPX_IMG_FMT_I420 || pointee.fmt == VPX_IMG_FMT_YV12,
              pointee.x_chroma_shift == 1, pointee.y_chroma_shift == 1
        else { return nil }
        let width = Int(pointee.d_w)
        let height = Int(pointee.d_h)
        guard I420Frame.isValidDimension(width), I420Frame.isValidDimension(height) else { return nil }
        let chromaWidth = I420Frame.chromaSize(of: width)
        let chromaHeight = I420Frame.chromaSize(of: height)
        // YV12 stores V before U; libvpx's plane indices already name them (U is 1, V is 2).
        guard let y = readPlane(pointee.planes.0, stride: Int(pointee.stride.0), width: width, height: height),
              let u = readPlane(pointee.planes.1, stride: Int(pointee.stride.1), width: chromaWidth, height: chromaHeight),
              let v = readPlane(pointee.planes.2, stride: Int(pointee.stride.2), width: chromaWidth, height: chromaHeight)
        else { return nil }
        return try? I420Frame(width: width, height: height, y: y, u: u, v: v, timestamp: timestamp)
    }

    private static func readPlane(
        _ source: UnsafeMutablePointer<UInt8>?, stride: Int, width: Int, height: Int
    ) -> [UInt8]? {
        guard let source, stride >= width else { return nil }
        return [UInt8](unsafeUninitializedCapacity: width * height) { buffer, count in
            guard let destination = buffer.baseAddress else { count = 0; return }
            for row in 0..<height {
                (destination + row * width).initialize(from: source + row * stride, count: width)
            }
            count = width * height
        }
    }
}
