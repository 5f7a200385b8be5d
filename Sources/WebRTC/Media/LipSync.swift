import RTPKit

/// Measures how far apart audio and video arrive, for the same capture
/// instant on the sender's clock: each received frame with a capture time
/// (from sender reports) gives its kind a latency sample, arrival minus
/// capture, whose unknown clock offset cancels between the two kinds.
///
/// Audio also waits in its jitter buffer after it arrives; the audio track
/// reports that delay (``audioPlayoutDelay``), and the waits count it:
/// audio plays at its latency plus that delay, video at its latency.
struct LipSync {
    private var latency: [TrackKind: Double] = [:]
    /// How long audio waits in the remote audio track's jitter buffer
    /// (its target delay without any lip-sync wait).
    var audioPlayoutDelay: Duration = .zero
    /// Exponential smoothing over about this many frames.
    private static let smoothing = 16.0

    /// Notes one frame: captured at `capture` (sender's NTP clock), arrived
    /// at `arrival` (our media clock).
    mutating func note(_ kind: TrackKind, capturedAt capture: NTPTimestamp, arrivedAt arrival: Duration) {
        let captureSeconds = Double(capture.rawValue >> 32) + Double(capture.rawValue & 0xFFFF_FFFF) / 4_294_967_296
        let (seconds, attoseconds) = arrival.components
        let sample = Double(seconds) + Double(attoseconds) * 1e-18 - captureSeconds
        if let previous = latency[kind] {
            // A jump of over 10 s is a new clock mapping, not a trend.
            latency[kind] = abs(sample - previous) > 10 ? sample : previous + (sample - previous) / Self.smoothing
        } else {
            latency[kind] = sample
        }
    }

    /// How long frames of `kind` should wait, beyond the audio jitter
    /// buffer's own delay, so that they play with the other kind's frames of
    /// the same capture instant: for video, audio's latency plus its buffer
    /// delay minus video's latency; for audio, video's latency minus audio's
    /// and its buffer delay; each when positive.
    func syncDelay(for kind: TrackKind) -> Duration {
        guard let offset else { return .zero }
        let videoLag = offset - audioPlayoutDelay
        let ahead = kind == .video ? .zero - videoLag : videoLag
        return ahead > .zero ? ahead : .zero
    }

    /// Video's latency minus audio's: positive when video lags.
    var offset: Duration? {
        guard let video = latency[.video], let audio = latency[.audio] else { return nil }
        return .nanoseconds(Int64(((video - audio) * 1e9).rounded()))
    }
}
