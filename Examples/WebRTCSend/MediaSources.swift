import CodecBridge
import Synchronization

/// Where pictures come from: the test pattern, a Y4M file (looped), or Y4M
/// on standard input (a camera through ffmpeg, say).
enum PictureSource {
    case pattern(TestPatternSource)
    case file(Y4MReader)

    /// Opens `--video`: `testsrc`, `-` (standard input) or a file path.
    static func open(_ video: String, size: (Int, Int), fps: Int) throws -> PictureSource {
        switch video {
        case "testsrc": .pattern(try TestPatternSource(width: size.0, height: size.1, frameRate: fps))
        case "-": .file(try Y4MReader(path: "/dev/stdin", loops: false))
        default: .file(try Y4MReader(path: video, loops: true))
        }
    }

    var size: (Int, Int) {
        switch self {
        case .pattern(let source): (source.width, source.height)
        case .file(let reader): (reader.header.width, reader.header.height)
        }
    }

    mutating func next() throws -> I420Frame? {
        switch self {
        case .pattern(var source):
            let frame = source.nextFrame()
            self = .pattern(source)
            return frame
        case .file(let reader):
            return try reader.nextFrame()
        }
    }
}

/// Where sound comes from: a tone or a WAV file (looped).
enum SoundSource {
    case tone(ToneSource)
    case file(WAVReader)

    /// Opens `--audio`: `tone` or a `.wav` path (48 kHz, mono or stereo, 16-bit).
    static func open(_ audio: String) throws -> SoundSource {
        if audio == "tone" { return .tone(try ToneSource(frequency: 440, amplitude: 0.3)) }
        let reader = try WAVReader(path: audio, loops: true)
        guard reader.sampleRate == 48_000, (1...2).contains(reader.channelCount) else {
            throw CodecError(.invalidInput, "\(audio) is \(reader.sampleRate) Hz with \(reader.channelCount) channels; Opus here takes 48 kHz mono or stereo")
        }
        return .file(reader)
    }

    var channelCount: Int {
        switch self {
        case .tone(let source): source.channelCount
        case .file(let reader): reader.channelCount
        }
    }

    mutating func next() throws -> AudioFrame? {
        switch self {
        case .tone(var source):
            let frame = source.nextFrame()
            self = .tone(source)
            return frame
        case .file(let reader):
            return try reader.nextFrame()
        }
    }
}

/// A source that the streaming task owns once the main task hands it over.
final class HandedOver<Source>: Sendable {
    private let source: Mutex<Source>

    init(_ source: sending Source) {
        self.source = Mutex(source)
    }

    /// Runs `body` on the source.
    func with<Result>(_ body: (inout sending Source) throws -> sending Result) rethrows -> sending Result {
        try source.withLock(body)
    }
}
