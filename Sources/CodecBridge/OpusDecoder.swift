import COpus

/// An Opus decoder over libopus: packets in, 48 kHz interleaved 16-bit PCM out,
/// with packet loss concealment and in-band FEC recovery.
///
/// The decoder holds libopus state and belongs to one owner at a time; it is
/// deliberately not `Sendable`.
public final class OpusDecoder: AudioDecoder {
    private let decoder: OpaquePointer
    private var scratch: [Int16]
    /// Samples per channel of the last decoded packet: the length a concealed gap gets.
    private var lastSamplesPerChannel = 960

    /// 48,000.
    public var sampleRate: Int { OpusCodec.sampleRate }
    /// The number of interleaved output channels (1 or 2).
    public let channelCount: Int

    /// Creates a decoder for mono or stereo output.
    ///
    /// - Throws: ``CodecError/Code/invalidConfiguration`` unless `channelCount`
    ///   is 1 or 2; ``CodecError/Code/codecInitializationFailed``.
    public init(channelCount: Int = 1) throws {
        guard channelCount == 1 || channelCount == 2 else {
            throw CodecError(.invalidConfiguration, "Opus takes 1 or 2 channels, not \(channelCount)")
        }
        var status: Int32 = OPUS_OK
        guard let created = opus_decoder_create(Int32(OpusCodec.sampleRate), Int32(channelCount), &status),
              status == OPUS_OK
        else {
            throw CodecError(.codecInitializationFailed, "opus_decoder_create failed: \(OpusCodec.describe(status))")
        }
        decoder = created
        self.channelCount = channelCount
        scratch = [Int16](repeating: 0, count: OpusCodec.maximumSamplesPerChannel * channelCount)
    }

    deinit {
        opus_decoder_destroy(decoder)
    }

    /// Decodes one packet, or conceals a lost one when `packet` is `nil`
    /// (the gap gets the length of the last packet, 20 ms at first).
    ///
    /// - Throws: ``CodecError/Code/corruptFrame`` for an empty or invalid packet.
    public func decode(_ packet: [UInt8]?) throws -> [Int16] {
        guard let packet else {
            return try run(packet: nil, samplesPerChannel: lastSamplesPerChannel, fec: false)
        }
        guard !packet.isEmpty else {
            throw CodecError(.corruptFrame, "an Opus packet cannot be empty")
        }
        let samples = try run(packet: packet, samplesPerChannel: OpusCodec.maximumSamplesPerChannel, fec: false)
        lastSamplesPerChannel = samples.count / channelCount
        return samples
    }

    /// Rebuilds a lost packet from the forward error correction data in the
    /// packet that followed it (call this for the gap, then ``decode(_:)`` with
    /// `nextPacket` itself). Without FEC data in `nextPacket` libopus conceals
    /// the gap as for a `nil` packet.
    ///
    /// - Throws: ``CodecError/Code/corruptFrame`` for an empty or invalid packet.
    public func decodeLost(usingFECFrom nextPacket: [UInt8]) throws -> [Int16] {
        guard !nextPacket.isEmpty else {
            throw CodecError(.corruptFrame, "an Opus packet cannot be empty")
        }
        return try run(packet: nextPacket, samplesPerChannel: lastSamplesPerChannel, fec: true)
    }

    /// Whether `nextPacket` holds in-band FEC (LBRR) data for the packet before it.
    public func hasRedundancy(in nextPacket: [UInt8]) -> Bool {
        OpusInbandFEC.isPresent(in: nextPacket)
    }

    private func run(packet: [UInt8]?, samplesPerChannel: Int, fec: Bool) throws -> [Int16] {
        if let packet, packet.count > Int(Int32.max) {
            throw CodecError(.corruptFrame, "an Opus packet of \(packet.count) bytes is too large")
        }
        let frameSize = Int32(samplesPerChannel)
        let decoded: Int32
        if let packet {
            decoded = opus_decode(decoder, packet, Int32(packet.count), &scratch, frameSize, fec ? 1 : 0)
        } else {
            decoded = opus_decode(decoder, nil, 0, &scratch, frameSize, 0)
        }
        guard decoded >= 0 else {
            throw CodecError(.corruptFrame, "opus_decode failed: \(OpusCodec.describe(decoded))")
        }
        return Array(scratch[0..<(Int(decoded) * channelCount)])
    }
}
