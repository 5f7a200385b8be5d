/// An audio encoder: PCM in, compressed packets out.
///
/// Encoders hold codec state and have one owner; they are not `Sendable`.
public protocol AudioEncoder {
    /// The sample rate of the PCM input in Hz.
    var sampleRate: Int { get }
    /// The number of interleaved channels of the PCM input.
    var channelCount: Int { get }
    /// The number of samples per channel that one call to `encode` takes.
    var samplesPerFrame: Int { get }
    /// The target bitrate in bits per second.
    var bitrate: Int { get }

    /// Encodes one frame of interleaved 16-bit PCM
    /// (`samplesPerFrame × channelCount` samples) into one packet.
    ///
    /// - Throws: ``CodecError/Code/invalidInput`` for a buffer of the wrong length,
    ///   ``CodecError/Code/encodingFailed`` if the codec fails.
    mutating func encode(_ pcm: [Int16]) throws -> [UInt8]

    /// Changes the target bitrate (bits per second) from the next frame on.
    mutating func setBitrate(_ bitsPerSecond: Int) throws

    /// Changes the packet loss (0 to 100 percent) the encoder prepares for,
    /// with redundancy where the codec has some (Opus in-band FEC).
    mutating func setExpectedPacketLoss(percent: Int) throws
}

extension AudioEncoder {
    /// Does nothing: the codec has no redundancy to add.
    public mutating func setExpectedPacketLoss(percent: Int) throws {}
}
