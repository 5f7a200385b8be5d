import CodecBridge
import WebRTC

/// Real encoders feeding one side of a `SimulatedCall`: a VP8 test pattern
/// at 30 fps and an Opus tone in 20 ms frames, on virtual time.
struct SimulatedMedia {
    enum Side { case offerer, answerer }

    let side: Side
    var pattern: TestPatternSource
    let videoEncoder: VP8Encoder
    var tone: ToneSource
    /// When set, the audio sent is this voice-like signal instead of the tone
    /// (Opus treats it as speech, with in-band FEC).
    var voice: VoiceLikeSource?
    let audioEncoder: OpusEncoder
    var nextVideo: ContinuousClock.Instant
    var nextAudio: ContinuousClock.Instant
    var keyFrameWanted = true
    /// The Opus encoder's expected loss, from the remote receiver's reports (as `LocalAudioTrack` does it).
    var lossAdaptation = ExpectedLossAdaptation()
    /// Audio frames are stamped as captured this long before they are sent
    /// (a sender whose audio path lags its video path).
    var audioLag: Duration = .zero
    /// Whether the encoders follow the connection's bandwidth estimate (as
    /// `LocalVideoTrack` and `LocalAudioTrack` do), frame-rate cuts included.
    var followsEstimate = false
    var videoFollower = EncoderBitrateFollower(maximum: 2_000_000)
    var audioFollower = EncoderBitrateFollower(maximum: 32_000)
    /// When the last video frame that went out was captured.
    var lastVideoFrame: ContinuousClock.Instant?
    /// What the video encoder produced, in bytes, and the bitrate it was set to then, frame by frame.
    private(set) var videoOutput: [(time: ContinuousClock.Instant, bytes: Int, bitrate: Int)] = []

    init(_ side: Side, startingAt now: ContinuousClock.Instant, toneFrequency: Double = 440) throws {
        self.side = side
        pattern = try TestPatternSource(width: 320, height: 240, frameRate: 30)
        videoEncoder = try VP8Encoder(configuration: .init(width: 320, height: 240, frameRate: 30, bitrate: 400_000))
        videoFollower = EncoderBitrateFollower(maximum: 2_000_000)
        tone = try ToneSource(frequency: toneFrequency)
        audioEncoder = try OpusEncoder(configuration: .init())
        nextVideo = now
        nextAudio = now
    }

    /// Sends what is due by `call.now` on the side's transceivers.
    mutating func sendDue(on call: inout SimulatedCall) throws {
        let core = side == .offerer ? call.offerer : call.answerer
        let tracks = side == .offerer ? call.offererTracks : call.answererTracks
        let requests = side == .offerer
            ? SimulatedCall.takeKeyFrameRequests(&call.offererEvents) : SimulatedCall.takeKeyFrameRequests(&call.answererEvents)
        if requests > 0 { keyFrameWanted = true }
        if let video = tracks[.video] {
            while nextVideo <= call.now {
                let picture = pattern.nextFrame()
                defer { nextVideo += .seconds(1) / 30 }
                if followsEstimate, let interval = videoFollower.minimumFrameInterval, let last = lastVideoFrame,
                    nextVideo - last < interval * 9 / 10
                {
                    continue  // fewer frames at a very low bitrate, as LocalVideoTrack does
                }
                var unsent = false
                for encoded in try videoEncoder.encode(picture, forceKeyFrame: keyFrameWanted) {
                    videoOutput.append((nextVideo, encoded.data.count, videoEncoder.bitrate))
                    unsent = !core.sendFrame(
                        encoded.data, isKeyFrame: encoded.isKeyFrame, captureTime: nextVideo, onTransceiver: video, at: call.now) || unsent
                }
                keyFrameWanted = unsent
                if !unsent { lastVideoFrame = nextVideo }
                if followsEstimate, let bitrate = videoFollower.bitrate(forTarget: core.encoderTargetBitrate(onTransceiver: video)) {
                    try videoEncoder.setBitrate(bitrate)
                }
            }
        }
        if let audio = tracks[.audio] {
            if let report = core.remoteLossReport(onTransceiver: audio), let percent = lossAdaptation.note(report) {
                try audioEncoder.setExpectedPacketLoss(percent: percent)
            }
            while nextAudio <= call.now {
                let pcm = voice?.nextFrame().samples ?? tone.nextFrame().samples
                let packet = try audioEncoder.encode(pcm)
                core.sendFrame(packet, isKeyFrame: true, captureTime: nextAudio - audioLag, audioLevel: 30, onTransceiver: audio, at: call.now)
                nextAudio += .milliseconds(20)
                if followsEstimate, let bitrate = audioFollower.bitrate(forTarget: core.encoderTargetBitrate(onTransceiver: audio)) {
                    try audioEncoder.setBitrate(bitrate)
                }
            }
        }
    }

    /// Runs the call for `duration`, sending from every side given.
    static func run(_ call: inout SimulatedCall, for duration: Duration, sending media: inout [SimulatedMedia]) throws {
        let end = call.now + duration
        while call.now < end {
            for index in media.indices { try media[index].sendDue(on: &call) }
            try call.run(for: .milliseconds(5))
        }
    }
}
