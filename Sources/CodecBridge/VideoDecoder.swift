/// A video decoder: the seam between a depacketizer and a picture sink.
///
/// Decoders hold codec state and have one owner; they are not `Sendable`.
public protocol VideoDecoder {
    /// Decodes one complete compressed frame.
    ///
    /// - Parameters:
    ///   - data: the frame's bytes.
    ///   - timestamp: the presentation time to give the decoded picture.
    /// - Returns: the decoded picture, or `nil` if the frame produced none to show.
    /// - Throws: ``CodecError`` (``CodecError/Code/corruptFrame``,
    ///   ``CodecError/Code/truncatedFrame``, ``CodecError/Code/keyFrameRequired``)
    ///   for input it cannot decode; it never traps on bad input.
    mutating func decode(_ data: [UInt8], timestamp: Duration) throws -> I420Frame?
}

extension VideoDecoder {
    /// Decodes an encoded frame, keeping its timestamp.
    public mutating func decode(_ frame: EncodedVideoFrame) throws -> I420Frame? {
        try decode(frame.data, timestamp: frame.timestamp)
    }
}
