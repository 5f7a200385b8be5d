import CodecBridge
import ExampleSupport
import WebRTC

/// Saves what arrives: video to `video.ivf` (and `video.y4m`), audio to
/// `audio.wav`, and the last picture to `snapshot.png`; counts decoded
/// frames and says when the wanted numbers are reached.
actor Recorder {
    let directory: String
    let writesY4M: Bool
    let wantedVideoFrames: Int
    let wantedAudioFrames: Int
    private var ivf: IVFWriter?
    private var y4m: Y4MWriter?
    private var wav: WAVWriter?
    private var lastPicture: I420Frame?
    private(set) var videoFrames = 0
    private(set) var audioFrames = 0
    private(set) var firstFrameAfterMs: Int?
    private let output: ProgramOutput
    private var doneWaiters: [CheckedContinuation<Void, Never>] = []

    init(directory: String, writesY4M: Bool, wantedVideoFrames: Int, wantedAudioFrames: Int, output: ProgramOutput) {
        self.directory = directory
        self.writesY4M = writesY4M
        self.wantedVideoFrames = wantedVideoFrames
        self.wantedAudioFrames = wantedAudioFrames
        self.output = output
    }

    /// Whether both wanted counts are reached (a count of 0 wants nothing; both 0 never ends).
    var isDone: Bool {
        guard wantedVideoFrames > 0 || wantedAudioFrames > 0 else { return false }
        return videoFrames >= wantedVideoFrames && audioFrames >= wantedAudioFrames
    }

    /// Returns once `isDone`.
    func waitUntilDone() async {
        if isDone { return }
        await withCheckedContinuation { doneWaiters.append($0) }
    }

    /// Records one remote track until it ends.
    func record(_ track: RemoteTrack) async {
        switch track {
        case .video(let video):
            for await frame in video { write(frame) }
        case .audio(let audio):
            for await frame in audio { write(frame) }
        }
    }

    private func write(_ frame: RemoteVideoFrame) {
        do {
            if ivf == nil {
                ivf = try IVFWriter(path: directory + "/video.ivf", width: frame.image.width, height: frame.image.height)
                if writesY4M {
                    y4m = try Y4MWriter(path: directory + "/video.y4m", width: frame.image.width, height: frame.image.height)
                }
            }
            try ivf?.write(frameData: frame.encoded.data, pts: MediaTime.ticks(frame.encoded.timestamp, clockRate: 90_000))
            if frame.image.width == y4m?.header.width, frame.image.height == y4m?.header.height {
                try y4m?.write(frame.image)
            }
        } catch {
            output.note("cannot save video: \(error)")
        }
        lastPicture = frame.image
        videoFrames += 1
        noteProgress()
    }

    private func write(_ frame: RemoteAudioFrame) {
        do {
            if wav == nil {
                wav = try WAVWriter(path: directory + "/audio.wav", sampleRate: frame.pcm.sampleRate, channelCount: frame.pcm.channelCount)
            }
            if frame.pcm.sampleRate == wav?.sampleRate, frame.pcm.channelCount == wav?.channelCount {
                try wav?.write(frame.pcm)
            }
        } catch {
            output.note("cannot save audio: \(error)")
        }
        if !frame.isConcealed { audioFrames += 1 }
        noteProgress()
    }

    private func noteProgress() {
        if firstFrameAfterMs == nil { firstFrameAfterMs = output.elapsedMilliseconds }
        if isDone {
            let waiters = doneWaiters
            doneWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }

    /// Closes the files, writes the snapshot and reports what was saved.
    func finish() -> [String] {
        var saved: [String] = []
        if let ivf {
            try? ivf.close()
            saved.append(directory + "/video.ivf")
        }
        if let y4m {
            try? y4m.close()
            saved.append(directory + "/video.y4m")
        }
        if let wav {
            try? wav.close()
            saved.append(directory + "/audio.wav")
        }
        if let lastPicture, (try? PNGWriter.write(lastPicture, to: directory + "/snapshot.png")) != nil {
            saved.append(directory + "/snapshot.png")
        }
        return saved
    }
}
