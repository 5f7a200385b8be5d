import CVirtualWallClock
import CodecBridge
import ICEKit
import Synchronization
import TestSupport
import WebRTC

/// Two `PeerConnectionCore`s on a simulated network, on virtual time. Each
/// side adds the tracks it is told to send before the offer; signalling (the
/// descriptions and trickled candidates) is passed directly.
struct SimulatedCall {
    let offerer: PeerConnectionCore
    let answerer: PeerConnectionCore
    let offererAddress = ICETransportAddress("10.0.0.1:5000")!
    let answererAddress = ICETransportAddress("10.0.0.2:6000")!
    var network: SimulatedNetwork<ICETransportAddress>
    /// Virtual time; the process's wall clock (OpenSSL's DTLS timer) follows it.
    var now: ContinuousClock.Instant {
        didSet { wallClock.follow(now) }
    }
    private let wallClock: VirtualWallClock
    var offererEvents: [PeerConnectionCore.Event] = []
    var answererEvents: [PeerConnectionCore.Event] = []
    /// Frames the answerer received, in order.
    var receivedByAnswerer: [ReceivedFrame] = []
    /// When each of the answerer's video frames came out of its jitter buffer.
    var answererVideoFrameTimes: [ContinuousClock.Instant] = []
    /// Frames the offerer received, in order.
    var receivedByOfferer: [ReceivedFrame] = []
    /// The transceivers each side sends on, by kind.
    var offererTracks: [TrackKind: Int] = [:]
    var answererTracks: [TrackKind: Int] = [:]
    /// Whether the offerer's candidates reach the answerer.
    var trickleToAnswerer = true
    /// Whether the answerer's candidates reach the offerer (without them the
    /// offerer learns the answerer only as a peer-reflexive candidate).
    var trickleToOfferer = true
    var tamperFingerprint = false

    enum DTLSCertificateChoice { case own, tamperedFingerprint }

    init(
        conditions: SimulatedLinkConditions = SimulatedLinkConditions(), seed: UInt64 = 7,
        answererCertificate: DTLSCertificateChoice = .own, offererSends: [TrackKind] = [.video], answererSends: [TrackKind] = [],
        offerer offererConfiguration: PeerConnectionCore.Configuration? = nil,
        answerer answererConfiguration: PeerConnectionCore.Configuration? = nil
    ) throws {
        offerer = PeerConnectionCore(configuration: try offererConfiguration ?? .init(certificate: try .init()))
        answerer = PeerConnectionCore(configuration: try answererConfiguration ?? .init(certificate: try .init()))
        network = SimulatedNetwork(conditions: conditions, seed: seed)
        now = ContinuousClock.now
        wallClock = VirtualWallClock(startingAt: now)
        offerer.addLocalAddress(offererAddress)
        answerer.addLocalAddress(answererAddress)
        for kind in offererSends { offererTracks[kind] = offerer.addTrack(kind: kind) }
        for kind in answererSends { answererTracks[kind] = answerer.addTrack(kind: kind) }
        if case .tamperedFingerprint = answererCertificate { tamperFingerprint = true }
    }

    /// The video frames the answerer received (the common case of one video track).
    var receivedFrames: [ReceivedFrame] { receivedByAnswerer.filter { $0.kind == .video } }

    /// Offer, answer, and trickled candidates; `editingOffer` changes the
    /// offer on its way to the answerer (as another peer would write it).
    mutating func negotiate(editingOffer: (String) -> String = { $0 }) throws {
        let offer = try offerer.createOffer()
        try offerer.setLocalDescription(offer, at: now)
        try answerer.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: editingOffer(offer.sdp)), at: now)
        let answer = try answerer.createAnswer()
        try answerer.setLocalDescription(answer, at: now)
        var delivered = answer
        if tamperFingerprint {
            // A man in the middle swapped the fingerprint: the offerer must refuse the DTLS peer.
            delivered.sdp = Self.replacingFingerprint(in: answer.sdp)
        }
        try offerer.setRemoteDescription(delivered, at: now)
        try pump()
    }

    static func replacingFingerprint(in sdp: String) -> String {
        sdp.split(separator: "\r\n", omittingEmptySubsequences: false).map { line in
            guard line.hasPrefix("a=fingerprint:sha-256 ") else { return String(line) }
            let value = line.dropFirst("a=fingerprint:sha-256 ".count)
            let flipped = value.first == "0" ? "1" + value.dropFirst() : "0" + value.dropFirst()
            return "a=fingerprint:sha-256 " + flipped
        }.joined(separator: "\r\n")
    }

    /// Moves events and datagrams until nothing is left at this instant.
    mutating func pump() throws {
        for _ in 0..<1000 {
            var moved = false
            while let event = offerer.pollEvent() {
                moved = true
                offererEvents.append(event)
                switch event {
                case .localCandidate(let candidate) where trickleToAnswerer: try answerer.addIceCandidate(candidate, at: now)
                case .frameReceived(let frame): receivedByOfferer.append(frame)
                default: break
                }
            }
            while let event = answerer.pollEvent() {
                moved = true
                answererEvents.append(event)
                switch event {
                case .localCandidate(let candidate) where trickleToOfferer: try offerer.addIceCandidate(candidate, at: now)
                case .frameReceived(let frame):
                    receivedByAnswerer.append(frame)
                    if frame.kind == .video { answererVideoFrameTimes.append(now) }
                default: break
                }
            }
            while let transmit = offerer.pollTransmit() {
                moved = true
                network.send(transmit.bytes, from: offererAddress, to: transmit.destination, at: now)
            }
            while let transmit = answerer.pollTransmit() {
                moved = true
                network.send(transmit.bytes, from: answererAddress, to: transmit.destination, at: now)
            }
            for datagram in network.deliver(upTo: now) {
                moved = true
                let target = datagram.destination == offererAddress ? offerer : answerer
                target.handle(datagram: datagram.bytes, from: datagram.source, to: datagram.destination, at: now)
            }
            if !moved { return }
        }
        throw DeadlineExceeded(what: "the simulated call to settle at one instant")
    }

    /// Advances virtual time to the earliest deadline (never past `limit`) and runs it.
    mutating func step(until limit: ContinuousClock.Instant) throws {
        let deadlines = [offerer.nextTimeout(), answerer.nextTimeout(), network.nextArrival, limit].compactMap { $0 }
        now = max(now, deadlines.min()!)
        if let due = offerer.nextTimeout(), due <= now { offerer.handleTimeout(at: now) }
        if let due = answerer.nextTimeout(), due <= now { answerer.handleTimeout(at: now) }
        try pump()
    }

    /// Runs until `condition` holds or `limit` of virtual time passes.
    mutating func run(for limit: Duration, until condition: (SimulatedCall) -> Bool = { _ in false }) throws {
        let end = now + limit
        // What a test queued directly (an RTCP packet, say) leaves now, not at the end.
        try pump()
        var steps = 0
        while now < end, !condition(self) {
            try step(until: end)
            steps += 1
            if steps > 400_000 { throw DeadlineExceeded(what: "too many simulation steps") }
        }
    }

    var bothConnected: Bool { offerer.connectionState == .connected && answerer.connectionState == .connected }

    /// How many key-frame requests a side's events carried, and forgets them.
    static func takeKeyFrameRequests(_ events: inout [PeerConnectionCore.Event]) -> Int {
        let count = events.filter { if case .keyFrameRequested = $0 { true } else { false } }.count
        events.removeAll { if case .keyFrameRequested = $0 { true } else { false } }
        return count
    }
}

/// Puts `gettimeofday()` on a simulation's virtual time while the simulation
/// lives: OpenSSL 3.0 times DTLS retransmissions with it and has no clock
/// hook, so without this a lost DTLS flight would only be sent again once
/// real time had caught up (see `Tests/CVirtualWallClock`). The wall clock
/// starts at the real time and moves with the simulation's `now`; when the
/// last simulation ends it is real again.
final class VirtualWallClock {
    private static let live = Atomic<Int>(0)
    private let realStart = virtual_wall_clock_real_now()
    private let virtualStart: ContinuousClock.Instant

    init(startingAt start: ContinuousClock.Instant) {
        virtualStart = start
        Self.live.add(1, ordering: .sequentiallyConsistent)
        follow(start)
    }

    /// Sets the wall clock to the simulation's `now`.
    func follow(_ now: ContinuousClock.Instant) {
        virtual_wall_clock_set(realStart + Int64(((now - virtualStart) / .microseconds(1)).rounded()))
    }

    deinit {
        if Self.live.subtract(1, ordering: .sequentiallyConsistent).newValue == 0 { virtual_wall_clock_clear() }
    }
}

