import CodecBridge
import SecureTransport
import Synchronization
import WebRTC

/// Two `PeerConnection`s over real UDP on 127.0.0.1, the offer, answer and
/// trickled candidates handed across in-process (the signalling of a call,
/// without a server's own delay), and a 320x240 test pattern from the sender
/// at 30 fps: the setting of the call benchmarks.
final class LoopbackCall: Sendable {
    let sender: PeerConnection
    let receiver: PeerConnection
    let video: LocalVideoTrack
    /// When the pattern with each frame number was made, on the benchmark's clock.
    let produced = Mutex<[Int: ContinuousClock.Instant]>([:])
    /// What `run` measured (one run per call).
    let milestones = Mutex(Milestones())

    /// What the call measured: the setup's moments from `createOffer` on, and
    /// each decoded frame's produce-to-decode time.
    struct Milestones: Sendable {
        var iceConnected: Duration?
        var connected: Duration?
        var firstFrameDecoded: Duration?
        var glassToGlass: [Duration] = []
        /// Per frame: VP8 encoding and the hand-off to the connection (`LocalVideoTrack.send`).
        var encodeAndHandOff: [Duration] = []
    }

    init() async throws {
        // The OpenSSL transform, as the figures in Benchmarks.md were measured.
        sender = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1", srtpBackend: .openSSL))
        receiver = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1", srtpBackend: .openSSL))
        video = try await sender.addVideoTrack(
            .init(width: 320, height: 240, frameRate: 30, bitrate: 600_000), direction: .sendonly)
    }

    /// Signals, connects and streams until the receiver has decoded `frames` frames.
    func run(frames: Int) async throws -> Milestones {
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                for await event in sender.events {
                    if case .localCandidate(let candidate) = event { try? await receiver.addIceCandidate(candidate) }
                }
            }
            let (tracks, trackContinuation) = AsyncStream.makeStream(of: RemoteVideoTrack.self)
            group.addTask { [self] in
                for await event in receiver.events {
                    switch event {
                    case .localCandidate(let candidate):
                        try? await sender.addIceCandidate(candidate)
                    case .iceConnectionStateChanged(.connected):
                        milestones.withLock { $0.iceConnected = $0.iceConnected ?? ContinuousClock.now - start }
                    case .connectionStateChanged(.connected):
                        milestones.withLock { $0.connected = $0.connected ?? ContinuousClock.now - start }
                    case .track(.video(let track)):
                        trackContinuation.yield(track)
                    default:
                        break
                    }
                }
            }
            group.addTask { [self] in
                for await track in tracks {
                    var count = 0
                    for await frame in track {
                        let now = ContinuousClock.now
                        milestones.withLock { $0.firstFrameDecoded = $0.firstFrameDecoded ?? now - start }
                        if let number = TestPatternSource.readFrameNumber(from: frame.image),
                            let made = produced.withLock({ $0[number] })
                        {
                            milestones.withLock { $0.glassToGlass.append(now - made) }
                        }
                        count += 1
                        if count == frames { throw Done() }
                    }
                }
            }
            group.addTask { [self] in
                var pattern = try TestPatternSource(width: 320, height: 240, frameRate: 30)
                var number = 0
                let first = ContinuousClock.now
                while true {
                    let frame = pattern.nextFrame()
                    let made = ContinuousClock.now
                    produced.withLock { $0[number] = made }
                    _ = try await video.send(frame, captureTime: made)
                    let handedOff = ContinuousClock.now
                    milestones.withLock { $0.encodeAndHandOff.append(handedOff - made) }
                    number += 1
                    try await Task.sleep(until: first + .milliseconds(33 * number))
                }
            }
            let offer = try await sender.createOffer()
            try await sender.setLocalDescription(offer)
            try await receiver.setRemoteDescription(offer)
            let answer = try await receiver.createAnswer()
            try await receiver.setLocalDescription(answer)
            try await sender.setRemoteDescription(answer)
            do {
                try await group.next()
            } catch is Done {}
            group.cancelAll()
            trackContinuation.finish()
        }
        await sender.close()
        await receiver.close()
        return milestones.withLock { $0 }
    }

    /// Ends the call once enough frames were decoded.
    struct Done: Error {}
}
