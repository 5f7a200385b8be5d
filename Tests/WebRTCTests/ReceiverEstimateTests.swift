import RTPKit
import Testing
import TestSupport

@testable import WebRTC

/// REMB as the fallback: a receiver that sends no transport-wide feedback
/// but its own estimate still drives the sender's encoders.
@Suite("REMB from a receiver without transport-wide feedback")
struct ReceiverEstimateTests {
    static let uri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

    @Test("without transport-wide feedback a REMB of 200 kbit/s becomes the sender's target, and its video encoder is given what is left of it; with none the encoders keep their own bitrate")
    func rembDrivesTheTarget() throws {
        var call = try SimulatedCall(seed: 12, offererSends: [.audio, .video])
        try call.negotiate(editingOffer: { sdp in
            sdp.components(separatedBy: "\r\n").filter { !$0.contains(Self.uri) && !$0.hasSuffix(" transport-cc") }
                .joined(separator: "\r\n")
        })
        try call.run(for: .seconds(10)) { $0.bothConnected }
        try #require(call.bothConnected)
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        let video = call.offererTracks[.video]!
        #expect(call.offerer.encoderTargetBitrate(onTransceiver: video) == nil, "no estimate to follow yet")

        // The answerer (as a receiver that only does REMB would) reports 200 kbit/s for the offerer's streams.
        let ssrcs = call.offerer.statistics.outbound.map(\.ssrc)
        call.answerer.sendRTCP([.receiverEstimatedBitrate(.init(senderSSRC: 1, bitrate: 200_000, ssrcs: ssrcs))])
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)

        let estimate = call.offerer.bandwidthEstimate
        #expect(estimate.receiverEstimatesReceived == 1)
        #expect(estimate.targetBitrate == 200_000, "\(estimate.targetBitrate)")
        let videoTarget = try #require(call.offerer.encoderTargetBitrate(onTransceiver: video))
        #expect(videoTarget > 50_000 && videoTarget < 200_000, "video gets what audio leaves: \(videoTarget)")
    }
}
