/// An audio decoder: compressed packets in, PCM out, with loss concealment.
///
/// Decoders hold codec state and have one owner; they are not `Sendable`.
public protocol AudioDecoder {
    /// The sample rate of the PCM output in Hz.
    var sampleRate: Int { get }
    /// The number of interleaved channels of the PCM output.
    var channelCount: Int { get }

    /// Decodes one packet into interleaved 16-bit PCM. Pass `nil` for a lost
    /// packet: the decoder then conceals the gap (packet loss concealment) and
    /// returns as many samples as the last packet held.
    ///
    /// - Throws: ``CodecError/Code/corruptFrame`` for a packet it cannot decode.
    mutating func decode(_ packet: [UInt8]?) throws -> [Int16]

    /// Rebuilds the packet lost just before `nextPacket` from the redundancy
    /// `nextPacket` carries (Opus in-band FEC), then ``decode(_:)`` is called
    /// with `nextPacket` itself. A codec without such redundancy conceals.
    ///
    /// - Throws: ``CodecError/Code/corruptFrame`` for a packet it cannot read.
    mutating func decodeLost(usingFECFrom nextPacket: [UInt8]) throws -> [Int16]

    /// Whether `nextPacket` carries redundancy from which
    /// ``decodeLost(usingFECFrom:)`` rebuilds the packet before it, rather
    /// than concealing it.
    func hasRedundancy(in nextPacket: [UInt8]) -> Bool
}

extension AudioDecoder {
    /// Conceals the lost packet: the codec carries no redundancy.
    public mutating func decodeLost(usingFECFrom nextPacket: [UInt8]) throws -> [Int16] {
        try decode(nil)
    }

    /// `false`: the codec carries no redundancy.
    public func hasRedundancy(in nextPacket: [UInt8]) -> Bool { false }
}
