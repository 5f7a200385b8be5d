import CongestionControl
import ICEKit
import WebRTC

/// Two `PeerConnectionCore`s connected to each other in memory (real ICE,
/// DTLS and SRTP; datagrams handed straight across), one sending a video
/// track to the other: the setting of the whole-core benchmarks.
final class CorePair {
    let sender: PeerConnectionCore
    let receiver: PeerConnectionCore
    let senderAddress = ICETransportAddress("10.0.0.1:5000")!
    let receiverAddress = ICETransportAddress("10.0.0.2:6000")!
    let videoTransceiver: Int
    var now = ContinuousClock.now

    /// The sender's estimate, fixed: no feedback goes back in the benchmark,
    /// and a pacer at 2.5 × 100 Mbit/s lets every frame out at once, so the
    /// benchmark measures the per-packet path, not the pacing.
    static let bandwidth = SendSideBandwidthEstimator.Configuration(startBitrate: 100_000_000, maximumBitrate: 100_000_000)

    init() throws {
        // The OpenSSL transform (no allocation per packet), as Benchmarks.md's
        // figures since issue 10 were measured.
        sender = PeerConnectionCore(
            configuration: .init(certificate: try .init(), bandwidth: Self.bandwidth, srtpBackend: .openSSL))
        receiver = PeerConnectionCore(configuration: .init(certificate: try .init(), srtpBackend: .openSSL))
        sender.addLocalAddress(senderAddress)
        receiver.addLocalAddress(receiverAddress)
        videoTransceiver = sender.addTrack(kind: .video, direction: .sendonly)
        let offer = try sender.createOffer()
        try sender.setLocalDescription(offer, at: now)
        try receiver.setRemoteDescription(offer, at: now)
        let answer = try receiver.createAnswer()
        try receiver.setLocalDescription(answer, at: now)
        try sender.setRemoteDescription(answer, at: now)
        for _ in 0..<20_000 where !(sender.connectionState == .connected && receiver.connectionState == .connected) {
            try exchange()
            now += .milliseconds(1)
            if let due = sender.nextTimeout(), due <= now { sender.handleTimeout(at: now) }
            if let due = receiver.nextTimeout(), due <= now { receiver.handleTimeout(at: now) }
        }
        guard sender.connectionState == .connected, receiver.connectionState == .connected else {
            throw CorePairError.didNotConnect
        }
        // Past the first frames: the receiver has its stream and its buffers.
        for _ in 0..<64 {
            sendFrame(TestFrame.bytes(size: 1_000))
            receiveAll()
        }
    }

    enum CorePairError: Error { case didNotConnect }

    /// Moves candidates and datagrams until neither side has anything to say.
    private func exchange() throws {
        var moved = true
        while moved {
            moved = false
            while let event = sender.pollEvent() {
                moved = true
                if case .localCandidate(let candidate) = event { try receiver.addIceCandidate(candidate, at: now) }
            }
            while let event = receiver.pollEvent() {
                moved = true
                if case .localCandidate(let candidate) = event { try sender.addIceCandidate(candidate, at: now) }
            }
            while let transmit = sender.pollTransmit() {
                moved = true
                receiver.handle(datagram: transmit.bytes, from: senderAddress, to: receiverAddress, at: now)
            }
            while let transmit = receiver.pollTransmit() {
                moved = true
                sender.handle(datagram: transmit.bytes, from: receiverAddress, to: senderAddress, at: now)
            }
        }
    }

    /// Sends one frame; its datagrams wait in the sender's queue.
    func sendFrame(_ frame: [UInt8]) {
        sender.sendFrame(frame, isKeyFrame: false, captureTime: now, onTransceiver: videoTransceiver, at: now)
        now += .milliseconds(33)
    }

    /// Takes the datagrams the sender queued.
    func takeDatagrams(into datagrams: inout [[UInt8]]) {
        while let transmit = sender.pollTransmit() { datagrams.append(transmit.bytes) }
    }

    /// Hands everything the sender queued to the receiver and drains its events.
    func receiveAll() {
        while let transmit = sender.pollTransmit() {
            receiver.handle(datagram: transmit.bytes, from: senderAddress, to: receiverAddress, at: now)
        }
        while receiver.pollEvent() != nil {}
        while receiver.pollTransmit() != nil {}
    }
}

/// VP8-looking frame bytes (a delta frame: the P bit set).
enum TestFrame {
    static func bytes(size: Int) -> [UInt8] {
        var frame = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        frame[0] |= 0x01
        return frame
    }
}
