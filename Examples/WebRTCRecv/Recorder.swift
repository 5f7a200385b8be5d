import CodecBridge
import ExampleSupport
import WebRTC

/// Writes received frames to `video.ivf` (and `video.y4m`), counts them and shows live statistics.
actor Recorder {
    let directory: String
    let writesY4M: Bool
    let output: ProgramOutput
    private var ivf: IVFWriter?
    private var y4m: Y4MWriter?
    private var frames = 0
    private var firstFrameAfterMs: Int?

    init(directory: String, writesY4M: Bool, output: ProgramOutput) {
        self.directory = directory
        self.writesY4M = writesY4M
        self.output = output
    }

    /// Records frames until `wanted` are decoded (0: until the stream ends).
    func record(_ stream: AsyncStream<RemoteVideoFrame>, until wanted: Int, connection: PeerConnection) async throws -> Outcome {
        var meter = RateMeter()
        var lastStatus = ContinuousClock.now
        for await frame in stream {
            try write(frame)
            if ContinuousClock.now - lastStatus >= .seconds(1) {
                lastStatus = .now
                let statistics = await connection.statistics
                let rates = meter.sample(frames: frames, bytes: statistics.bytesReceived)
                output.status(
                    "\(await connection.connectionState.rawValue) \(frame.image.width)x\(frame.image.height)"
                        + " \(Int(rates.fps.rounded())) fps \(rates.kbps) kbit/s lost \(statistics.packetsLost)"
                        + " key-frame requests \(statistics.keyFrameRequestsSent) decoded \(frames)")
            }
            if wanted > 0, frames >= wanted { return .enoughFrames }
        }
        return .streamEnded
    }

    private func write(_ frame: RemoteVideoFrame) throws {
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
        frames += 1
        if firstFrameAfterMs == nil { firstFrameAfterMs = output.elapsedMilliseconds }
    }

    /// Closes the files and reports what was written.
    func finish() -> (frames: Int, firstFrameAfterMs: Int?, ivfPath: String?) {
        try? ivf?.close()
        try? y4m?.close()
        return (frames, firstFrameAfterMs, ivf.map { _ in directory + "/video.ivf" })
    }
}
