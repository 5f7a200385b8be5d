import Foundation

/// One uncompressed picture in I420 (planar YUV 4:2:0, 8 bits per sample).
///
/// The three planes are tightly packed (no row padding): `y` holds
/// `width × height` luma samples, `u` and `v` each hold
/// `chromaWidth × chromaHeight` samples, where the chroma size is half the
/// luma size rounded up (so odd sizes work).
///
/// `timestamp` is the presentation time as a `Duration` since the start of the
/// stream (frame `n` of a 30 fps source has `Duration.seconds(n) / 30`). Use
/// ``MediaTime/ticks(_:clockRate:)`` for a 90 kHz RTP timestamp.
public struct I420Frame: Sendable, Hashable {
    /// The width of the picture in pixels (at least 1).
    public private(set) var width: Int
    /// The height of the picture in pixels (at least 1).
    public private(set) var height: Int
    /// The luma plane, `width × height` samples, row by row.
    public var y: [UInt8]
    /// The blue-difference chroma plane, `chromaWidth × chromaHeight` samples.
    public var u: [UInt8]
    /// The red-difference chroma plane, `chromaWidth × chromaHeight` samples.
    public var v: [UInt8]
    /// The presentation time since the start of the stream.
    public var timestamp: Duration

    /// The largest width or height a frame may have (the VP8 limit is 16,383).
    public static let maximumDimension = 16_384

    /// Creates a frame of the given size with every sample set to the given values
    /// (by default black: Y 16, U and V 128).
    ///
    /// - Precondition: `width` and `height` are in `1...maximumDimension`.
    public init(
        width: Int, height: Int, timestamp: Duration = .zero,
        y lumaValue: UInt8 = 16, u uValue: UInt8 = 128, v vValue: UInt8 = 128
    ) {
        precondition(
            Self.isValidDimension(width) && Self.isValidDimension(height),
            "I420Frame size \(width)x\(height) is out of range"
        )
        self.width = width
        self.height = height
        self.timestamp = timestamp
        let chromaCount = Self.chromaSize(of: width) * Self.chromaSize(of: height)
        self.y = [UInt8](repeating: lumaValue, count: width * height)
        self.u = [UInt8](repeating: uValue, count: chromaCount)
        self.v = [UInt8](repeating: vValue, count: chromaCount)
    }

    /// Creates a frame from its planes, checking their sizes.
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` if the size is out of range or a
    ///   plane has the wrong number of samples.
    public init(width: Int, height: Int, y: [UInt8], u: [UInt8], v: [UInt8], timestamp: Duration = .zero) throws {
        guard Self.isValidDimension(width), Self.isValidDimension(height) else {
            throw CodecError(.invalidInput, "frame size \(width)x\(height) is out of range")
        }
        let chromaCount = Self.chromaSize(of: width) * Self.chromaSize(of: height)
        guard y.count == width * height, u.count == chromaCount, v.count == chromaCount else {
            throw CodecError(
                .invalidInput,
                "planes of \(y.count), \(u.count), \(v.count) samples do not fit a \(width)x\(height) I420 frame"
            )
        }
        self.width = width
        self.height = height
        self.y = y
        self.u = u
        self.v = v
        self.timestamp = timestamp
    }

    /// The width of the chroma planes: `(width + 1) / 2`.
    public var chromaWidth: Int { Self.chromaSize(of: width) }
    /// The height of the chroma planes: `(height + 1) / 2`.
    public var chromaHeight: Int { Self.chromaSize(of: height) }

    /// The number of bytes of an I420 frame of this size (all three planes).
    public var byteCount: Int { Self.byteCount(width: width, height: height) }

    /// Whether the planes have the sizes that `width` and `height` call for.
    /// (The planes are mutable, so a caller can break this; encoders check it.)
    public var hasValidPlanes: Bool {
        let chromaCount = chromaWidth * chromaHeight
        return y.count == width * height && u.count == chromaCount && v.count == chromaCount
    }

    /// Sets every sample of the three planes.
    public mutating func fill(y lumaValue: UInt8, u uValue: UInt8, v vValue: UInt8) {
        let chromaCount = chromaWidth * chromaHeight
        y = [UInt8](repeating: lumaValue, count: width * height)
        u = [UInt8](repeating: uValue, count: chromaCount)
        v = [UInt8](repeating: vValue, count: chromaCount)
    }

    /// The peak signal-to-noise ratio of this frame's luma against `other`'s, in dB
    /// (10·log10(255² / mean squared error)).
    ///
    /// Returns `nil` if the frames differ in size (or a plane is malformed) and
    /// `.infinity` if the luma planes are identical. Above 30 dB a picture looks
    /// close to its original; above 40 dB differences are hard to see.
    public func lumaPSNR(comparedWith other: I420Frame) -> Double? {
        guard width == other.width, height == other.height,
              y.count == width * height, other.y.count == y.count
        else { return nil }
        var squaredErrorSum = 0
        y.withUnsafeBufferPointer { mine in
            other.y.withUnsafeBufferPointer { theirs in
                for index in 0..<mine.count {
                    let difference = Int(mine[index]) - Int(theirs[index])
                    squaredErrorSum += difference * difference
                }
            }
        }
        if squaredErrorSum == 0 { return .infinity }
        let meanSquaredError = Double(squaredErrorSum) / Double(y.count)
        return 10 * log10(255 * 255 / meanSquaredError)
    }

    /// The luma sample at column `x`, row `y` (no bounds check beyond the array's own).
    public func luma(x: Int, y row: Int) -> UInt8 { y[row * width + x] }

    /// Half of `size`, rounded up: the chroma size for a luma size.
    public static func chromaSize(of size: Int) -> Int { (size + 1) / 2 }

    /// The number of bytes of an I420 frame of the given size (all three planes).
    public static func byteCount(width: Int, height: Int) -> Int {
        width * height + 2 * chromaSize(of: width) * chromaSize(of: height)
    }

    static func isValidDimension(_ size: Int) -> Bool { size >= 1 && size <= maximumDimension }
}
