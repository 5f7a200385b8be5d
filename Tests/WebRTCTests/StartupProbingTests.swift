import Testing
import TestSupport
import WebRTC

/// The estimator's first probe clusters (3 and 6 times the start bitrate)
/// are what lets a call reach a wide path's rate within its first second.
/// In a real call the connection comes up before the first frame is
/// encoded, so those probes must wait for media to pad with, not be given up.
@Suite("Start-up probing in the core")
struct StartupProbingTests {
    @Test("when the first frame comes 300 ms after the call connects, the start-up probes still go out with it: padding is sent and the estimate passes 800 kbit/s within 1.5 s of media")
    func startupProbesWaitForMedia() throws {
        var call = try TransportFeedbackTests.connected()
        // The call is up; nothing is sent yet (a camera or encoder starting).
        try call.run(for: .milliseconds(300))
        #expect(call.offerer.bandwidthEstimate.paddingPacketsSent == 0)
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        media[0].followsEstimate = true
        try SimulatedMedia.run(&call, for: .milliseconds(1_500), sending: &media)
        let estimate = call.offerer.bandwidthEstimate
        #expect(estimate.paddingPacketsSent > 0, "the probes were padded")
        #expect(estimate.targetBitrate > 800_000, "the estimate after 1.5 s of media: \(Int(estimate.targetBitrate / 1000)) kbit/s")
    }
}
