public import CodecBridge
public import RTPKit

/// A codec the connection can carry: its name and clock as SDP writes them,
/// its RTP payload format (packetizer and depacketizer), and a decoder
/// factory for remote tracks. VP8 and Opus are two entries; another codec
/// is one more entry, not a change to the connection.
public struct MediaCodec: Sendable {
    /// What the decoder of a remote track is.
    public enum Decoding: Sendable {
        /// A video decoder, made once per remote track.
        case video(@Sendable () throws -> any VideoDecoder)
        /// An audio decoder for the given channel count, made once per remote track.
        case audio(@Sendable (_ channelCount: Int) throws -> any AudioDecoder)
    }

    /// Audio or video.
    public let kind: TrackKind
    /// The encoding name (`VP8`, `opus`); matched case-insensitively.
    public let name: String
    /// The RTP clock rate in Hz.
    public let clockRate: Int
    /// The rtpmap channel count (2 for Opus, as RFC 7587 requires), or nil.
    public let channels: Int?
    /// The format parameters this side offers (`fmtp`), if any.
    public let formatParameters: String?
    /// The payload type this side offers it with.
    public let preferredPayloadType: UInt8
    /// How remote tracks of this codec are decoded.
    public let decoding: Decoding
    let makeSendStream: @Sendable (SendStreamSetup) -> any MediaSendStream
    let makeReceiveStream: @Sendable (ReceiveStreamSetup) -> any MediaReceiveStream

    /// Creates a codec entry from its payload format.
    ///
    /// - Parameters:
    ///   - packetizer: makes a fresh packetizer for each sending stream.
    ///   - depacketizer: makes a fresh depacketizer for each receiving stream.
    public init<Packetizer: RTPPacketizer & Sendable, Depacketizer: RTPDepacketizer & Sendable>(
        kind: TrackKind, name: String, clockRate: Int, channels: Int? = nil, formatParameters: String? = nil,
        preferredPayloadType: UInt8, decoding: Decoding,
        packetizer: @escaping @Sendable () -> Packetizer, depacketizer: @escaping @Sendable () -> Depacketizer
    ) {
        self.kind = kind
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.formatParameters = formatParameters
        self.preferredPayloadType = preferredPayloadType
        self.decoding = decoding
        makeSendStream = { setup in RTPSendStream(setup: setup, packetizer: packetizer()) }
        makeReceiveStream = { setup in RTPReceiveStream(setup: setup, depacketizer: depacketizer()) }
    }

    /// Whether an offered or answered codec (`name`, clock rate, channels) is this one.
    func matches(name other: String, clockRate otherRate: UInt32, channels otherChannels: Int?) -> Bool {
        guard other.lowercased() == name.lowercased(), Int(otherRate) == clockRate else { return false }
        if let channels { return (otherChannels ?? 1) == channels }
        return true
    }

    /// VP8 (RFC 7741) at 90 kHz, payload type 96, decoded by libvpx.
    public static let vp8 = MediaCodec(
        kind: .video, name: "VP8", clockRate: 90_000, preferredPayloadType: 96,
        decoding: .video { try VP8Decoder() },
        packetizer: { VP8Packetizer(pictureID: UInt16.random(in: 0...0x7FFF)) },
        depacketizer: { VP8Depacketizer() })

    /// Opus (RFC 7587) at 48 kHz, `opus/48000/2`, payload type 111, with
    /// in-band FEC offered (`minptime=10;useinbandfec=1`), decoded by libopus.
    public static let opus = MediaCodec(
        kind: .audio, name: "opus", clockRate: 48_000, channels: 2, formatParameters: "minptime=10;useinbandfec=1",
        preferredPayloadType: 111,
        decoding: .audio { channels in try OpusDecoder(channelCount: channels) },
        packetizer: { OpusPacketizer() }, depacketizer: { OpusDepacketizer() })
}
