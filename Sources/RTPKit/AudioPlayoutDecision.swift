/// What the audio jitter buffer wants played next (``AudioJitterBuffer/nextDecision(at:)``).
public struct AudioPlayoutDecision: Sendable, Hashable {
    /// Where the audio comes from.
    public enum Action: Sendable, Hashable {
        /// Decode this packet: it is the next one, in time.
        case play([UInt8])
        /// The next packet is missing but the one after it is here: rebuild
        /// the missing one from this packet's forward error correction
        /// (Opus in-band FEC), or conceal it when the packet carries none.
        case recover(usingFECFrom: [UInt8])
        /// The next packet is missing (lost, or late): conceal it.
        case conceal
    }

    /// How the played audio should be stretched to bring the delay back to its target.
    public enum Adjustment: Sendable, Hashable {
        /// The delay is on target.
        case none
        /// Too much delay: shorten this audio by up to `maximum` (accelerate).
        case shorten(maximum: Duration)
        /// Too little delay: lengthen this audio by up to `maximum` (decelerate).
        case lengthen(maximum: Duration)
    }

    /// The audio to produce.
    public var action: Action
    /// The stretch to apply to it.
    public var adjustment: Adjustment
    /// The RTP timestamp (unwrapped) of the audio's first sample.
    public var timestamp: Int64
    /// The audio's first sample, as media time since the stream's first packet.
    public var mediaTime: Duration
    /// When the packet played (or the one FEC came from) arrived; `nil` for concealment.
    public var arrival: ContinuousClock.Instant?
    /// The buffer's target delay when the decision was made.
    public var targetDelay: Duration
}
