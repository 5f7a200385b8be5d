public import CodecBridge
import Foundation
import Synchronization

/// An audio track this side sends: PCM frames in, encoded by any
/// `AudioEncoder` (Opus by default), out over the connection with their
/// RFC 6464 audio level.
public final class LocalAudioTrack: Sendable {
    /// The transceiver it is sent on.
    public let transceiverID: Int
    /// The sample rate the encoder takes.
    public let sampleRate: Int
    /// The channel count the encoder takes.
    public let channelCount: Int
    /// Samples per channel in one frame the encoder takes (960 for 20 ms at 48 kHz).
    public let samplesPerFrame: Int
    private let encoder: Mutex<any AudioEncoder>
    /// When the next frame's first sample was captured, by the samples sent so far.
    private let sampleClock = Mutex<ContinuousClock.Instant?>(nil)
    private weak let connection: PeerConnection?
    /// The expected loss the encoder was told, from the remote receiver's reports.
    private let lossAdaptation = Mutex(ExpectedLossAdaptation())
    /// The encoder's bitrate under the connection's ceiling for audio.
    private let follower: Mutex<EncoderBitrateFollower>

    /// How far the sample clock may drift from the wall clock before it is set again.
    static let maximumClockDrift: Duration = .milliseconds(100)

    init(encoder: sending any AudioEncoder, transceiverID: Int, connection: PeerConnection) {
        sampleRate = encoder.sampleRate
        channelCount = encoder.channelCount
        samplesPerFrame = encoder.samplesPerFrame
        follower = Mutex(EncoderBitrateFollower(maximum: encoder.bitrate))
        self.encoder = Mutex(encoder)
        self.transceiverID = transceiverID
        self.connection = connection
    }

    /// The encoder's target bitrate now.
    public var bitrate: Int { encoder.withLock { $0.bitrate } }

    /// Changes the most the encoder may use (bits per second); at a very
    /// low bandwidth estimate the connection may set it lower.
    public func setBitrate(_ bitsPerSecond: Int) throws {
        try encoder.withLock { encoder in
            try encoder.setBitrate(bitsPerSecond)  // refuses a value out of the encoder's range
            let applied = follower.withLock { follower in
                _ = follower.setMaximum(bitsPerSecond)
                return follower.current
            }
            if applied != bitsPerSecond { try encoder.setBitrate(applied) }
        }
    }

    /// Encodes one frame of PCM (`samplesPerFrame × channelCount` samples)
    /// and sends it, stamped with `captureTime`. Without one, frames are
    /// stamped by the samples sent so far (so RTP timestamps advance by
    /// exactly one frame each, as a receiver's jitter buffer expects), set
    /// again from the clock when that drifts more than
    /// ``maximumClockDrift`` from now (a pause, a slow source).
    ///
    /// - Throws: `CodecError` `.invalidInput` for a frame of the wrong rate, channel count or length.
    /// - Returns: Whether the packet went out (not before the connection is up).
    @discardableResult
    public func send(_ frame: AudioFrame, captureTime: ContinuousClock.Instant? = nil) async throws -> Bool {
        guard frame.sampleRate == sampleRate, frame.channelCount == channelCount else {
            throw CodecError(.invalidInput, "the track takes \(sampleRate) Hz with \(channelCount) channel(s), not \(frame.sampleRate) Hz with \(frame.channelCount)")
        }
        let packet = try encoder.withLock { try $0.encode(frame.samples) }
        let stamp = sampleClock.withLock { next in
            let now = ContinuousClock.now
            var stamp = captureTime ?? next ?? now
            if captureTime == nil, stamp - now > Self.maximumClockDrift || now - stamp > Self.maximumClockDrift { stamp = now }
            next = stamp + frame.duration
            return stamp
        }
        guard let connection else { return false }
        let (sent, report, target) = await connection.sendEncoded(
            packet, isKeyFrame: true, captureTime: stamp, audioLevel: Self.level(of: frame.samples), on: transceiverID)
        if let report { adaptToLoss(report) }
        if let bitrate = follower.withLock({ $0.bitrate(forTarget: target) }) {
            try? encoder.withLock { try $0.setBitrate(bitrate) }
        }
        return sent
    }

    /// The remote receiver's loss reports set the packet loss the encoder
    /// prepares for (Opus then adds in-band FEC), once per new report.
    private func adaptToLoss(_ report: RemoteLossReport) {
        guard let percent = lossAdaptation.withLock({ $0.note(report) }) else { return }
        encoder.withLock { try? $0.setExpectedPacketLoss(percent: percent) }
    }

    /// The packet loss (percent) the encoder now prepares for, from the remote receiver's reports.
    public var expectedPacketLoss: Int { lossAdaptation.withLock { $0.percent } }

    /// The RFC 6464 level of PCM: its RMS in -dBov, 0 (full scale) to 127 (silence).
    static func level(of samples: [Int16]) -> UInt8 {
        guard !samples.isEmpty else { return 127 }
        var sum = 0.0
        for sample in samples { sum += Double(sample) * Double(sample) }
        let rms = (sum / Double(samples.count)).squareRoot() / 32768
        guard rms > 0 else { return 127 }
        return UInt8(min(127, max(0, (-20 * log10(rms)).rounded())))
    }
}
