/// One compressed video frame as an encoder produced it (for VP8: one complete
/// frame, ready for an RTP packetizer or an IVF file).
public struct EncodedVideoFrame: Sendable, Hashable {
    /// The compressed bytes.
    public var data: [UInt8]
    /// Whether the frame decodes without any earlier frame.
    public var isKeyFrame: Bool
    /// The presentation time of the picture it encodes (the input frame's timestamp).
    public var timestamp: Duration
    /// The width of the encoded picture in pixels.
    public var width: Int
    /// The height of the encoded picture in pixels.
    public var height: Int

    /// Creates an encoded frame.
    public init(data: [UInt8], isKeyFrame: Bool, timestamp: Duration, width: Int, height: Int) {
        self.data = data
        self.isKeyFrame = isKeyFrame
        self.timestamp = timestamp
        self.width = width
        self.height = height
    }
}
