import Testing
import TestSupport
import WebRTC

/// Every RTP packet leaves the core through its pacer: a large frame goes
/// out in small bursts at a multiple of the estimate, not all at once.
@Suite("Pacing in the core")
struct PacingTests {
    /// Sends one 30,000-byte frame from a connected offerer and drives its
    /// timer alone for `length`, returning when each RTP packet left
    /// (relative to the send) and the offerer.
    static func sendLargeFrame(editingOffer: (String) -> String = { $0 }, for length: Duration) throws -> [Duration] {
        var call = try SimulatedCall(seed: 9, offererSends: [.video])
        try call.negotiate(editingOffer: editingOffer)
        try call.run(for: .seconds(10)) { $0.bothConnected }
        try #require(call.bothConnected)
        let core = call.offerer
        while core.pollTransmit() != nil {}
        let start = call.now
        // A VP8 key-frame payload header, then filler: the packetizer only splits it.
        let frame = [0x10, 0x02, 0x00] + [UInt8](repeating: 0x55, count: 29_997)
        core.sendFrame(frame, isKeyFrame: true, captureTime: start, onTransceiver: call.offererTracks[.video]!, at: start)
        var departures: [Duration] = []
        var now = start
        while now - start < length {
            while let transmit = core.pollTransmit() {
                // RTP only (RFC 7983: first byte 128-191; RTCP has packet types 192-223).
                if (128...191).contains(transmit.bytes[0]), !(192...223).contains(transmit.bytes[1]) {
                    departures.append(now - start)
                }
            }
            guard let next = core.nextTimeout() else { break }
            now = max(next, now)
            core.handleTimeout(at: now)
        }
        return departures
    }

    @Test("with transport-wide feedback, a 30 KB key frame at the 300 kbit/s start leaves in bursts at a multiple of the estimate: at most two packets at once, the rest spread over about 150-400 ms")
    func largeFrameIsPaced() throws {
        let departures = try Self.sendLargeFrame(for: .seconds(1))
        #expect(departures.count >= 25, "\(departures.count) packets")
        #expect(departures.filter { $0 == .zero }.count <= 2, "at once: \(departures.filter { $0 == .zero }.count)")
        let span = try #require(departures.last)
        // 30 KB at 2.5 × 300 kbit/s is 320 ms; the start-up probes send some of it faster.
        #expect(span >= .milliseconds(150) && span <= .milliseconds(400), "the frame took \(span)")
        // No 5 ms window holds more than a few packets: small bursts.
        for (index, first) in departures.enumerated() {
            let burst = departures[index...].prefix { $0 < first + .milliseconds(5) }.count
            #expect(burst <= 4, "\(burst) packets within 5 ms of \(first)")
        }
    }

    @Test("without transport-wide feedback (no estimate to follow) the pacer only smooths: the same frame leaves within 60 ms")
    func withoutFeedbackOnlySmoothing() throws {
        let uri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
        let departures = try Self.sendLargeFrame(
            editingOffer: { sdp in
                sdp.components(separatedBy: "\r\n").filter { !$0.contains(uri) && !$0.hasSuffix(" transport-cc") }
                    .joined(separator: "\r\n")
            }, for: .seconds(1))
        #expect(departures.count >= 25)
        let span = try #require(departures.last)
        #expect(span <= .milliseconds(60), "the frame took \(span)")
    }
}
