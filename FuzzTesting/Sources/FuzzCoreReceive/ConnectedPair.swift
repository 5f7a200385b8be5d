import ICEKit
@testable import WebRTC

/// Two `PeerConnectionCore`s connected in memory (real ICE, DTLS and SRTP),
/// the sender with an audio and a video track: the setting in which fuzzed
/// datagrams reach the receiver's whole sans-IO receive path.
final class ConnectedPair {
    let sender: PeerConnectionCore
    let receiver: PeerConnectionCore
    let senderAddress = ICETransportAddress("10.0.0.1:5000")!
    let receiverAddress = ICETransportAddress("10.0.0.2:6000")!
    var now = ContinuousClock.now

    init() throws {
        // The default SRTP backend (the OpenSSL transform). Either keeps state
        // for at most `SRTPSession.maximumStreams` SSRCs, so rotating SSRCs
        // cannot grow the receiver without bound.
        sender = PeerConnectionCore(configuration: .init(certificate: try .init()))
        receiver = PeerConnectionCore(configuration: .init(certificate: try .init()))
        sender.addLocalAddress(senderAddress)
        receiver.addLocalAddress(receiverAddress)
        let video = sender.addTrack(kind: .video, direction: .sendonly)
        let audio = sender.addTrack(kind: .audio, direction: .sendonly)
        let offer = try sender.createOffer()
        try sender.setLocalDescription(offer, at: now)
        try receiver.setRemoteDescription(offer, at: now)
        let answer = try receiver.createAnswer()
        try receiver.setLocalDescription(answer, at: now)
        try sender.setRemoteDescription(answer, at: now)
        for _ in 0..<20_000 where !(sender.connectionState == .connected && receiver.connectionState == .connected) {
            try exchange()
            advance(by: .milliseconds(1))
        }
        guard sender.connectionState == .connected, receiver.connectionState == .connected else {
            throw PairError.didNotConnect
        }
        // Real media first, so the receiver has its streams when fuzzed packets come.
        for frame in 0..<10 {
            var bytes = [UInt8](repeating: UInt8(frame), count: 3000)
            bytes[0] = frame == 0 ? 0x10 : 0x11
            sender.sendFrame(bytes, isKeyFrame: frame == 0, captureTime: now, onTransceiver: video, at: now)
            sender.sendFrame([0x78, 1, 2, 3], isKeyFrame: false, captureTime: now, onTransceiver: audio, at: now)
            advance(by: .milliseconds(33))
            try exchange()
        }
    }

    enum PairError: Error { case didNotConnect }

    /// The SSRCs the sender sends on (those the receiver has streams for).
    var senderSSRCs: [UInt32] { sender.statistics.outbound.map(\.ssrc) }

    /// Moves time on and runs both sides' timers.
    func advance(by step: Duration) {
        now += step
        if let due = sender.nextTimeout(), due <= now { sender.handleTimeout(at: now) }
        if let due = receiver.nextTimeout(), due <= now { receiver.handleTimeout(at: now) }
    }

    /// Moves candidates and datagrams until neither side has anything to say.
    func exchange() throws {
        var moved = true
        var rounds = 0
        while moved, rounds < 1000 {
            moved = false
            rounds += 1
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

    /// Hands a datagram to the receiver as if the sender had sent it, then lets
    /// the receiver's events, datagrams and timers run.
    func deliver(_ datagram: [UInt8]) {
        receiver.handle(datagram: datagram, from: senderAddress, to: receiverAddress, at: now)
        while receiver.pollEvent() != nil {}
        while receiver.pollTransmit() != nil {}
        advance(by: .milliseconds(5))
    }
}
