/// Makes decoded audio a little shorter or longer without changing its
/// pitch, so that a jitter buffer can move its delay without a gap or a
/// skip: one pitch period is removed (accelerate) or repeated (decelerate),
/// cross-faded so that the waveform stays continuous.
///
/// The period is the lag, between 2.5 ms and the limit asked for, at which
/// the audio best matches itself (normalised cross-correlation on the
/// channels' sum). Audio that is not periodic enough is left alone, except
/// near silence, where any lag does.
public enum AudioTimeStretcher {
    /// The shortest period removed or repeated (2.5 ms: a 400 Hz voice).
    public static let shortestPeriod: Duration = .microseconds(2500)
    /// How alike two periods must be (normalised cross-correlation) to be merged.
    public static let requiredSimilarity = 0.7
    /// Audio quieter than this RMS (about -50 dBFS) counts as silence.
    public static let silenceLevel = 100.0

    /// Removes one period of at most `limit` from `samples` (interleaved,
    /// `channelCount` channels at `sampleRate`).
    ///
    /// - Returns: The samples per channel removed (0 when nothing fit).
    @discardableResult
    public static func shorten(_ samples: inout [Int16], channelCount: Int, sampleRate: Int, by limit: Duration) -> Int {
        guard let lag = period(of: samples, channelCount: channelCount, sampleRate: sampleRate, limit: limit) else { return 0 }
        // Over the first `lag` samples, fade from the audio into the audio one
        // period later; then carry on from two periods in.
        for frame in 0..<lag {
            let fadeIn = Double(frame + 1) / Double(lag + 1)
            for channel in 0..<channelCount {
                let here = Double(samples[frame * channelCount + channel])
                let later = Double(samples[(frame + lag) * channelCount + channel])
                samples[frame * channelCount + channel] = clamp(here * (1 - fadeIn) + later * fadeIn)
            }
        }
        samples.removeSubrange((lag * channelCount)..<(2 * lag * channelCount))
        return lag
    }

    /// Repeats one period of at most `limit` in `samples`.
    ///
    /// - Returns: The samples per channel added (0 when nothing fit).
    @discardableResult
    public static func lengthen(_ samples: inout [Int16], channelCount: Int, sampleRate: Int, by limit: Duration) -> Int {
        guard let lag = period(of: samples, channelCount: channelCount, sampleRate: sampleRate, limit: limit) else { return 0 }
        // After the first period, insert one that fades from the second period
        // (which is what follows the first) back into the first (which leads
        // into the second again).
        var inserted = [Int16](repeating: 0, count: lag * channelCount)
        for frame in 0..<lag {
            let fadeIn = Double(frame + 1) / Double(lag + 1)
            for channel in 0..<channelCount {
                let second = Double(samples[(frame + lag) * channelCount + channel])
                let first = Double(samples[frame * channelCount + channel])
                inserted[frame * channelCount + channel] = clamp(second * (1 - fadeIn) + first * fadeIn)
            }
        }
        samples.insert(contentsOf: inserted, at: lag * channelCount)
        return lag
    }

    /// The best period of at most `limit` (and at most half the audio), or
    /// `nil` when the audio does not repeat well enough.
    static func period(of samples: [Int16], channelCount: Int, sampleRate: Int, limit: Duration) -> Int? {
        guard channelCount > 0, sampleRate > 0 else { return nil }
        let frames = samples.count / channelCount
        let shortest = max(1, Int(Double(sampleRate) * (shortestPeriod / .seconds(1))))
        let longest = min(frames / 2, Int(Double(sampleRate) * (limit / .seconds(1))))
        guard longest >= shortest else { return nil }
        func mono(_ frame: Int) -> Double {
            var sum = 0.0
            for channel in 0..<channelCount { sum += Double(samples[frame * channelCount + channel]) }
            return sum / Double(channelCount)
        }
        var energy = 0.0
        for frame in 0..<(2 * longest) { energy += mono(frame) * mono(frame) }
        if (energy / Double(2 * longest)).squareRoot() < silenceLevel { return longest }

        var best: (lag: Int, similarity: Double)?
        for lag in shortest...longest {
            var cross = 0.0, here = 0.0, later = 0.0
            for frame in 0..<lag {
                let a = mono(frame), b = mono(frame + lag)
                cross += a * b
                here += a * a
                later += b * b
            }
            guard here > 0, later > 0 else { continue }
            let similarity = cross / (here * later).squareRoot()
            if similarity > (best?.similarity ?? -1) { best = (lag, similarity) }
        }
        guard let best, best.similarity >= requiredSimilarity else { return nil }
        return best.lag
    }

    private static func clamp(_ value: Double) -> Int16 {
        Int16(max(-32768, min(32767, value.rounded())))
    }
}
