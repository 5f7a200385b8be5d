import Foundation
import CodecBridge
import ExampleSupport
import SignalingCore
import WebRTC

/// The running call of `webrtc-send`: signalling in both directions, and the frame loop.
actor SendSession {
    let connection: PeerConnection
    let client: SignalingClient
    let output: ProgramOutput
    private(set) var connectedAfterMilliseconds: Int?
    private(set) var failure: String?
    private var connectedWaiters: [CheckedContinuation<Void, any Error>] = []

    init(connection: PeerConnection, client: SignalingClient, output: ProgramOutput) {
        self.connection = connection
        self.client = client
        self.output = output
    }

    /// Applies the receiver's answer and candidates; returns when the receiver leaves.
    func relaySignalling() async throws {
        for try await message in client.messages {
            switch message {
            case .createAnswer(let answer):
                try await connection.setRemoteDescription(SignalingBridge.description(from: answer))
            case .iceCandidate(let candidate):
                try? await connection.addIceCandidate(SignalingBridge.candidate(from: candidate))
            case .peerLeft:
                output.note("the receiver left")
                // After a call, the receiver hanging up is a normal end.
                if connectedAfterMilliseconds == nil { fail("the receiver left before the call connected") }
                return
            case .error(let error):
                output.note("signalling error: \(error)")
            default:
                break
            }
        }
        // Cancelled because the program is ending: not a failure.
        if !Task.isCancelled { fail("the signalling connection closed") }
    }

    /// Sends local candidates and follows the connection state.
    func relayEvents() async {
        for await event in connection.events {
            switch event {
            case .localCandidate(let candidate):
                try? await client.send(SignalingBridge.message(for: candidate))
            case .connectionStateChanged(.connected):
                if connectedAfterMilliseconds == nil {
                    connectedAfterMilliseconds = output.elapsedMilliseconds
                    output.event("connected", ["afterMs": output.elapsedMilliseconds])
                    output.note("connected")
                }
                resumeWaiters(with: nil)
            case .connectionStateChanged(.failed):
                fail("the connection failed (ICE or DTLS)")
                return
            default:
                break
            }
        }
    }

    private func fail(_ reason: String) {
        if failure == nil { failure = reason }
        resumeWaiters(with: PeerConnectionError(.transportFailed, reason))
    }

    private func resumeWaiters(with error: (any Error)?) {
        let waiters = connectedWaiters
        connectedWaiters = []
        for waiter in waiters {
            if let error { waiter.resume(throwing: error) } else { waiter.resume() }
        }
    }

    func waitUntilConnected() async throws {
        if connectedAfterMilliseconds != nil { return }
        if let failure { throw PeerConnectionError(.transportFailed, failure) }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    connectedWaiters.append(continuation)
                }
            }
        } onCancel: {
            Task { await self.resumeWaiters(with: CancellationError()) }
        }
    }

    /// Sends frames at `fps` until `duration` seconds pass (0: forever).
    nonisolated func stream(track: LocalVideoTrack, source: inout FrameSource, fps: Int, duration: Double) async throws {
        let clock = ContinuousClock()
        let start = clock.now
        let interval = Duration.seconds(1) / fps
        var frameNumber = 0
        var meter = RateMeter()
        var lastStatus = start
        while duration == 0 || clock.now - start < .seconds(duration) {
            guard var frame = try source.next() else { break }
            frame.timestamp = interval * frameNumber
            try await track.send(frame)
            frameNumber += 1
            if clock.now - lastStatus >= .seconds(1) {
                lastStatus = clock.now
                let statistics = await connection.statistics
                let state = await connection.connectionState
                let rates = meter.sample(frames: statistics.framesSent, bytes: statistics.bytesSent)
                let rtt = statistics.roundTripTime.map { " rtt \($0.components.attoseconds / 1_000_000_000_000_000 + $0.components.seconds * 1000) ms" } ?? ""
                output.status(
                    "\(state.rawValue) \(frame.width)x\(frame.height) \(String(format: "%.1f", rates.fps)) fps \(rates.kbps) kbit/s"
                        + " lost \(statistics.remotePacketsLost) key-frame requests \(statistics.keyFrameRequestsReceived)\(rtt)")
            }
            try await clock.sleep(until: start + interval * (frameNumber))
        }
    }
}
