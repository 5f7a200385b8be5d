/// A video encoder: the seam between a picture source and a packetizer.
///
/// Encoders hold codec state and have one owner; they are not `Sendable`.
public protocol VideoEncoder {
    /// The target bitrate in bits per second.
    var bitrate: Int { get }

    /// Encodes one picture. Real-time encoders return the compressed frame at
    /// once (usually exactly one; none if the encoder dropped the picture).
    ///
    /// - Parameter forceKeyFrame: encode this picture as a key frame.
    /// - Throws: ``CodecError`` with ``CodecError/Code/invalidInput`` for a
    ///   malformed frame or ``CodecError/Code/encodingFailed``.
    mutating func encode(_ frame: I420Frame, forceKeyFrame: Bool) throws -> [EncodedVideoFrame]

    /// Makes the next encoded picture a key frame (for a PLI or FIR from the receiver).
    mutating func requestKeyFrame()

    /// Changes the target bitrate (bits per second) from the next picture on.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` if the encoder refuses it.
    mutating func setBitrate(_ bitsPerSecond: Int) throws
}

extension VideoEncoder {
    /// Encodes one picture, as a key frame only if one was requested or is due.
    public mutating func encode(_ frame: I420Frame) throws -> [EncodedVideoFrame] {
        try encode(frame, forceKeyFrame: false)
    }
}
