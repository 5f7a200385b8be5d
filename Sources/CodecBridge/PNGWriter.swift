/// Writes an ``I420Frame`` as an 8-bit RGB PNG picture, for looking at frames
/// (a test's output, a received video) in any image viewer.
///
/// The YUV samples are converted with BT.601 limited-range coefficients (what
/// VP8 and this module's test pattern use), each chroma sample covering its
/// 2×2 pixels. There is no compression library behind it: the image data is a
/// zlib stream of "stored" (uncompressed) deflate blocks, so files are about
/// as large as the raw RGB, which is fine for snapshots.
public enum PNGWriter {
    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The most bytes a stored deflate block holds.
    static let maximumStoredBlockSize = 65_535
    /// The most zlib bytes put into one IDAT chunk.
    static let maximumIDATSize = 65_536

    /// Writes `frame` as a PNG file at `path` (created or replaced).
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` if the frame's planes do not fit
    ///   its size; ``CodecError/Code/fileAccessFailed``.
    public static func write(_ frame: I420Frame, to path: String) throws {
        guard frame.hasValidPlanes else {
            throw CodecError(
                .invalidInput,
                "planes of \(frame.y.count), \(frame.u.count), \(frame.v.count) samples do not fit a \(frame.width)x\(frame.height) I420 frame"
            )
        }
        let file = try FileWriter(path: path)
        try file.write(encode(frame))
        try file.close()
    }

    /// The PNG file of `frame`: signature, `IHDR` (8-bit RGB, not interlaced),
    /// one or more `IDAT`, `IEND`.
    ///
    /// A frame whose planes do not fit its size (see ``I420Frame/hasValidPlanes``)
    /// is drawn with the missing samples as black (Y 16, U and V 128).
    public static func encode(_ frame: I420Frame) -> [UInt8] {
        let scanlines = rgbScanlines(frame)
        let stream = zlibStream(storing: scanlines)
        var png = signature
        png.reserveCapacity(signature.count + 25 + stream.count + 12 * (stream.count / maximumIDATSize + 1) + 12)

        var header: [UInt8] = []
        appendBigEndian(UInt32(frame.width), to: &header)
        appendBigEndian(UInt32(frame.height), to: &header)
        header += [8, 2, 0, 0, 0]  // bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace
        appendChunk("IHDR", header[...], to: &png)
        var start = 0
        while start < stream.count {
            let end = min(stream.count, start + maximumIDATSize)
            appendChunk("IDAT", stream[start..<end], to: &png)
            start = end
        }
        appendChunk("IEND", [][...], to: &png)
        return png
    }

    /// The filtered image data: per row, filter type 0 (none) and then R, G, B per pixel.
    static func rgbScanlines(_ frame: I420Frame) -> [UInt8] {
        let width = frame.width
        let height = frame.height
        let chromaWidth = frame.chromaWidth
        let chromaCount = chromaWidth * frame.chromaHeight
        let luma = fitted(frame.y, count: width * height, filler: 16)
        let blue = fitted(frame.u, count: chromaCount, filler: 128)
        let red = fitted(frame.v, count: chromaCount, filler: 128)
        let rowLength = 1 + 3 * width
        var scanlines = [UInt8](repeating: 0, count: rowLength * height)
        scanlines.withUnsafeMutableBufferPointer { output in
            for row in 0..<height {
                let rowStart = row * rowLength
                let lumaRow = row * width
                let chromaRow = (row / 2) * chromaWidth
                for column in 0..<width {
                    let c = 298 * (Int(luma[lumaRow + column]) - 16) + 128
                    let d = Int(blue[chromaRow + column / 2]) - 128
                    let e = Int(red[chromaRow + column / 2]) - 128
                    let pixel = rowStart + 1 + 3 * column
                    output[pixel] = clamp((c + 409 * e) >> 8)
                    output[pixel + 1] = clamp((c - 100 * d - 208 * e) >> 8)
                    output[pixel + 2] = clamp((c + 516 * d) >> 8)
                }
            }
        }
        return scanlines
    }

    /// A zlib stream (RFC 1950) of `data` in stored deflate blocks (RFC 1951 §3.2.4).
    static func zlibStream(storing data: [UInt8]) -> [UInt8] {
        let blockCount = max(1, (data.count + maximumStoredBlockSize - 1) / maximumStoredBlockSize)
        // CMF 0x78: deflate with a 32 KiB window; FLG 0x01: no dictionary, 0x7801 a multiple of 31.
        var stream: [UInt8] = [0x78, 0x01]
        stream.reserveCapacity(2 + data.count + 5 * blockCount + 4)
        var start = 0
        repeat {
            let end = min(data.count, start + maximumStoredBlockSize)
            let length = UInt16(end - start)
            stream.append(end == data.count ? 0x01 : 0x00)  // BFINAL on the last block, BTYPE 00 (stored)
            LittleEndian.append(length, to: &stream)
            LittleEndian.append(~length, to: &stream)
            stream.append(contentsOf: data[start..<end])
            start = end
        } while start < data.count
        appendBigEndian(Adler32.checksum(data), to: &stream)
        return stream
    }

    /// Appends a chunk: length, type, data and the CRC-32 of type and data.
    private static func appendChunk(_ type: String, _ data: ArraySlice<UInt8>, to png: inout [UInt8]) {
        let typeBytes = Array(type.utf8)
        appendBigEndian(UInt32(data.count), to: &png)
        png.append(contentsOf: typeBytes)
        png.append(contentsOf: data)
        appendBigEndian(CRC32.checksum(data, continuing: CRC32.checksum(typeBytes)), to: &png)
    }

    private static func appendBigEndian(_ value: UInt32, to buffer: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) {
            buffer.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
        }
    }

    /// `plane` if it has `count` samples, else a copy cut or padded with `filler`.
    private static func fitted(_ plane: [UInt8], count: Int, filler: UInt8) -> [UInt8] {
        if plane.count == count { return plane }
        if plane.count > count { return Array(plane.prefix(count)) }
        return plane + [UInt8](repeating: filler, count: count - plane.count)
    }

    private static func clamp(_ value: Int) -> UInt8 {
        UInt8(min(255, max(0, value)))
    }
}
