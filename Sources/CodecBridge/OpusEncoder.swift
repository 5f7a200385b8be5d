import COpus

/// An Opus encoder over libopus: 48 kHz, interleaved 16-bit PCM, one packet per frame.
///
/// The encoder holds libopus state and belongs to one owner at a time; it is
/// deliberately not `Sendable`.
public final class OpusEncoder: AudioEncoder {
    /// The largest packet the encoder writes (libopus's recommended buffer size).
    public static let maximumPacketSize = 4_000

    /// The current settings.
    public private(set) var configuration: Configuration
    private let encoder: OpaquePointer
    private var scratch = [UInt8](repeating: 0, count: OpusEncoder.maximumPacketSize)

    /// 48,000: Opus in WebRTC always runs at 48 kHz.
    public var sampleRate: Int { OpusCodec.sampleRate }
    /// The number of interleaved channels.
    public var channelCount: Int { configuration.channelCount }
    /// Samples per channel in one frame (960 for 20 ms).
    public var samplesPerFrame: Int { OpusCodec.sampleRate / 1_000 * configuration.frameDurationMilliseconds }
    /// The target bitrate in bits per second.
    public var bitrate: Int { configuration.bitrate }
    /// The length of one frame.
    public var frameDuration: Duration { .milliseconds(configuration.frameDurationMilliseconds) }

    /// Creates an encoder.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` for settings out of range,
    ///   ``CodecError/Code/codecInitializationFailed`` if libopus refuses them.
    public init(configuration: Configuration) throws {
        try configuration.validate()
        self.configuration = configuration
        let application: Int32 = switch configuration.application {
        case .voip: OPUS_APPLICATION_VOIP
        case .audio: OPUS_APPLICATION_AUDIO
        case .restrictedLowDelay: OPUS_APPLICATION_RESTRICTED_LOWDELAY
        }
        var status: Int32 = OPUS_OK
        guard let created = opus_encoder_create(
            Int32(OpusCodec.sampleRate), Int32(configuration.channelCount), application, &status
        ), status == OPUS_OK else {
            throw CodecError(.codecInitializationFailed, "opus_encoder_create failed: \(OpusCodec.describe(status))")
        }
        encoder = created
        let settings: [(String, Int32)] = [
            ("bitrate", copus_encoder_set_bitrate(encoder, Int32(configuration.bitrate))),
            ("complexity", copus_encoder_set_complexity(encoder, Int32(configuration.complexity))),
            ("in-band FEC", copus_encoder_set_inband_fec(encoder, configuration.usesInbandFEC ? 1 : 0)),
            ("packet loss", copus_encoder_set_packet_loss_perc(encoder, Int32(configuration.expectedPacketLossPercent))),
            ("DTX", copus_encoder_set_dtx(encoder, configuration.usesDTX ? 1 : 0)),
        ]
        for (name, result) in settings where result != OPUS_OK {
            opus_encoder_destroy(encoder)
            throw CodecError(.codecInitializationFailed, "libopus refused the \(name) setting: \(OpusCodec.describe(result))")
        }
    }

    deinit {
        opus_encoder_destroy(encoder)
    }

    /// Changes the target bitrate from the next frame on.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` if out of range or refused.
    public func setBitrate(_ bitsPerSecond: Int) throws {
        var updated = configuration
        updated.bitrate = bitsPerSecond
        try updated.validate()
        let result = copus_encoder_set_bitrate(encoder, Int32(bitsPerSecond))
        guard result == OPUS_OK else {
            throw CodecError(.invalidConfiguration, "libopus refused bitrate \(bitsPerSecond): \(OpusCodec.describe(result))")
        }
        configuration = updated
    }

    /// Changes the packet loss the encoder prepares for (0 to 100 percent), for
    /// example from RTCP receiver reports; with in-band FEC on, higher values add redundancy.
    public func setExpectedPacketLoss(percent: Int) throws {
        var updated = configuration
        updated.expectedPacketLossPercent = percent
        try updated.validate()
        let result = copus_encoder_set_packet_loss_perc(encoder, Int32(percent))
        guard result == OPUS_OK else {
            throw CodecError(.invalidConfiguration, "libopus refused packet loss \(percent)%: \(OpusCodec.describe(result))")
        }
        configuration = updated
    }

    /// Encodes one frame of interleaved PCM (`samplesPerFrame × channelCount` samples).
    public func encode(_ pcm: [Int16]) throws -> [UInt8] {
        var packet: [UInt8] = []
        try encode(pcm, into: &packet)
        return packet
    }

    /// Encodes one frame of interleaved PCM, replacing `packet`'s contents with the
    /// packet (reusing its storage, so a caller that keeps the array allocates nothing).
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` for a buffer of the wrong length,
    ///   ``CodecError/Code/encodingFailed`` if libopus fails.
    public func encode(_ pcm: [Int16], into packet: inout [UInt8]) throws {
        let expected = samplesPerFrame * channelCount
        guard pcm.count == expected else {
            throw CodecError(.invalidInput, "an Opus frame takes \(expected) samples, got \(pcm.count)")
        }
        let frameSize = Int32(samplesPerFrame)
        let capacity = Int32(scratch.count)
        let length = opus_encode(encoder, pcm, frameSize, &scratch, capacity)
        guard length > 0 else {
            throw CodecError(.encodingFailed, "opus_encode failed: \(OpusCodec.describe(length))")
        }
        packet.removeAll(keepingCapacity: true)
        packet.append(contentsOf: scratch[0..<Int(length)])
    }
}
