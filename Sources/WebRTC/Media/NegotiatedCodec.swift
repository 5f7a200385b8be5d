/// The codec a transceiver's m-section settled on in the last negotiation.
public struct NegotiatedCodec: Sendable, Hashable, CustomStringConvertible {
    /// The encoding name as the remote side wrote it (`VP8`, `opus`, `OPUS`…).
    public var name: String
    /// The payload type both sides use for it.
    public var payloadType: UInt8
    /// The RTP clock rate in Hz.
    public var clockRate: Int
    /// The channel count (audio), if the rtpmap gives one.
    public var channels: Int?
    /// The format parameters (`fmtp`), as written.
    public var formatParameters: String?

    /// `name/clockRate[/channels] (pt N)`.
    public var description: String {
        "\(name)/\(clockRate)" + (channels.map { "/\($0)" } ?? "") + " (pt \(payloadType))"
    }
}
