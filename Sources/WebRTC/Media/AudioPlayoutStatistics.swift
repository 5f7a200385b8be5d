/// What a remote audio track's playout did, as `getStats()`'s audio
/// `inbound-rtp` counts it (samples are per channel).
public struct AudioPlayoutStatistics: Sendable, Hashable {
    /// Packets decoded and played.
    public var packetsDecoded = 0
    /// Packets the decoder refused (concealed instead).
    public var packetsFailedToDecode = 0
    /// Lost packets rebuilt from the next packet's in-band FEC.
    public var packetsRecoveredWithFEC = 0
    /// Packets that came after their playout time, duplicates, or were
    /// dropped to cut a delay far above the target.
    public var packetsDiscarded = 0
    /// Samples played out, of every origin, after stretching.
    public var totalSamplesReceived = 0
    /// Samples the decoder made up for lost or late packets.
    public var concealedSamples = 0
    /// Concealed stretches (consecutive concealed frames count once).
    public var concealmentEvents = 0
    /// Samples added to lengthen audio while the delay was under its target.
    public var insertedSamplesForDeceleration = 0
    /// Samples removed to shorten audio while the delay was over its target.
    public var removedSamplesForAcceleration = 0
    /// The sum over played samples of how long each waited in the buffer:
    /// divided by ``jitterBufferEmittedCount``, the mean jitter-buffer delay.
    public var jitterBufferDelay: Duration = .zero
    /// The sum over played samples of the buffer's target delay at the time.
    public var jitterBufferTargetDelay: Duration = .zero
    /// Samples ``jitterBufferDelay`` and ``jitterBufferTargetDelay`` add up.
    public var jitterBufferEmittedCount = 0

    /// Creates empty statistics.
    public init() {}

    /// The mean time a played sample waited in the jitter buffer.
    public var meanJitterBufferDelay: Duration? {
        jitterBufferEmittedCount > 0 ? jitterBufferDelay / jitterBufferEmittedCount : nil
    }

    /// The share of played samples that were concealed, 0 to 1.
    public var concealedShare: Double {
        totalSamplesReceived > 0 ? Double(concealedSamples) / Double(totalSamplesReceived) : 0
    }
}
