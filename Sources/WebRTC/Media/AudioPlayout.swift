public import CodecBridge
public import RTPKit

/// The receive side of one audio track, sans-IO: an ``AudioJitterBuffer``
/// in front of a decoder, played out on a clock.
///
/// Packets go in with ``insert(_:at:)`` as they arrive. The player calls
/// ``pull(at:)`` whenever ``nextPullTime`` has come; each pull yields the
/// next stretch of audio (decoded, rebuilt from FEC, or concealed, and
/// stretched by a pitch period when the delay is off its target) and sets
/// the next pull for when that audio will have played. Time is passed in,
/// so tests drive it on a virtual clock.
public struct AudioPlayout {
    /// The jitter buffer (its target delay, its counters).
    public private(set) var buffer: AudioJitterBuffer
    /// What the playout did so far.
    public private(set) var statistics = AudioPlayoutStatistics()
    private var decoder: any AudioDecoder
    /// When the audio pulled so far has played out: the next pull.
    private var scheduled: ContinuousClock.Instant?
    private var lastWasConcealed = false
    /// When the last packet carrying FEC arrived.
    private var lastRedundancy: ContinuousClock.Instant?

    /// How long after the last packet with FEC the buffer keeps the room it
    /// made for FEC recovery (the sender stopped adding FEC: the loss is over).
    public static let recoveryHold: Duration = .seconds(2)

    /// How far behind its schedule the player may fall (a stalled task)
    /// before the schedule starts again from now.
    public static let largestLag: Duration = .milliseconds(100)

    /// Creates a playout for `decoder`'s codec; the buffer's clock rate is
    /// the RTP clock rate of the stream.
    public init(decoder: any AudioDecoder, configuration: AudioJitterBuffer.Configuration = AudioJitterBuffer.Configuration()) {
        self.decoder = decoder
        buffer = AudioJitterBuffer(configuration: configuration)
    }

    /// The decoder's channel count.
    public var channelCount: Int { decoder.channelCount }

    /// Delay added to the jitter target, for lip sync with a video track that arrives later.
    public var extraDelay: Duration {
        get { buffer.extraDelay }
        set { buffer.extraDelay = newValue }
    }

    /// Adds a packet that arrived at `arrival`.
    ///
    /// - Returns: Whether the buffer kept it (not late, not a duplicate).
    /// While packets carry FEC (the sender expects loss), the buffer waits
    /// one packet longer, so that the packet after a lost one is usually
    /// there to rebuild it from.
    @discardableResult
    public mutating func insert(_ frame: ReceivedFrame, at arrival: ContinuousClock.Instant) -> Bool {
        if decoder.hasRedundancy(in: frame.data) { lastRedundancy = arrival }
        let carriesFEC = lastRedundancy.map { arrival - $0 < Self.recoveryHold } ?? false
        buffer.recoveryDelay = carriesFEC ? buffer.packetLength : .zero
        let kept = buffer.insert(payload: frame.data, timestamp: frame.rtpTimestamp, arrival: arrival)
        if !kept { noteDiscards() }
        return kept
    }

    /// When ``pull(at:)`` should next be called: when the audio pulled so
    /// far has played, or, while waiting to start, when the first packet's
    /// wait is over. `nil` while there is nothing to play.
    public var nextPullTime: ContinuousClock.Instant? { scheduled ?? buffer.playoutStart }

    /// The next stretch of audio to play at `now`, or `nil` while there is
    /// nothing to play (before the first packet's wait is over, after a long silence).
    public mutating func pull(at now: ContinuousClock.Instant) -> RemoteAudioFrame? {
        guard let decision = buffer.nextDecision(at: now) else {
            scheduled = nil
            return nil
        }
        var (samples, origin) = produce(decision.action)
        let channels = max(decoder.channelCount, 1)
        let produced = samples.count / channels
        let clockRate = buffer.configuration.clockRate
        let sampleRate = max(decoder.sampleRate, 1)
        // A decoder that gives nothing still moves playout on by one packet, so it cannot spin.
        let mediaUnits = produced > 0 ? Int64(produced) * Int64(clockRate) / Int64(sampleRate) : Int64(clockRate / 50)
        buffer.advance(by: mediaUnits, concealed: origin == .concealed)
        if origin != .concealed { stretch(&samples, channels: channels, sampleRate: sampleRate, as: decision.adjustment) }

        let frame = AudioFrame(samples: samples, sampleRate: sampleRate, channelCount: channels, timestamp: decision.mediaTime)
        let waited = decision.arrival.map { now - $0 }
        count(frame, origin: origin, waited: waited, target: decision.targetDelay)
        let duration = produced > 0 ? frame.duration : .milliseconds(20)
        var next = (scheduled ?? now) + duration
        if next < now - Self.largestLag { next = now + duration }
        scheduled = next
        return RemoteAudioFrame(
            pcm: frame, origin: origin, rtpTimestamp: UInt32(truncatingIfNeeded: decision.timestamp), playoutDelay: waited)
    }

    /// Decodes, rebuilds or conceals as the buffer decided.
    private mutating func produce(_ action: AudioPlayoutDecision.Action) -> ([Int16], RemoteAudioFrame.Origin) {
        switch action {
        case .play(let packet):
            if let samples = try? decoder.decode(packet) {
                statistics.packetsDecoded += 1
                return (samples, .decoded)
            }
            statistics.packetsFailedToDecode += 1
        case .recover(let next):
            if decoder.hasRedundancy(in: next), let samples = try? decoder.decodeLost(usingFECFrom: next) {
                statistics.packetsRecoveredWithFEC += 1
                return (samples, .recoveredWithFEC)
            }
        case .conceal:
            break
        }
        return ((try? decoder.decode(nil)) ?? [], .concealed)
    }

    /// Shortens or lengthens real audio by a pitch period, as the buffer asked.
    private mutating func stretch(_ samples: inout [Int16], channels: Int, sampleRate: Int, as adjustment: AudioPlayoutDecision.Adjustment) {
        switch adjustment {
        case .none:
            break
        case .shorten(let limit):
            statistics.removedSamplesForAcceleration += AudioTimeStretcher.shorten(
                &samples, channelCount: channels, sampleRate: sampleRate, by: limit)
        case .lengthen(let limit):
            statistics.insertedSamplesForDeceleration += AudioTimeStretcher.lengthen(
                &samples, channelCount: channels, sampleRate: sampleRate, by: limit)
        }
    }

    private mutating func count(_ frame: AudioFrame, origin: RemoteAudioFrame.Origin, waited: Duration?, target: Duration) {
        let samples = frame.samplesPerChannel
        statistics.totalSamplesReceived += samples
        if origin == .concealed {
            statistics.concealedSamples += samples
            if !lastWasConcealed { statistics.concealmentEvents += 1 }
        }
        lastWasConcealed = origin == .concealed
        if let waited, samples > 0 {
            statistics.jitterBufferDelay += waited * samples
            statistics.jitterBufferTargetDelay += target * samples
            statistics.jitterBufferEmittedCount += samples
        }
        noteDiscards()
    }

    private mutating func noteDiscards() {
        statistics.packetsDiscarded = buffer.latePackets + buffer.duplicatePackets + buffer.discardedPackets
    }
}
