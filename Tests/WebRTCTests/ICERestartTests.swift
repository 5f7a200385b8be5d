import CodecBridge
import ICEKit
import Testing
import TestSupport
import WebRTC

/// ICE restart (RFC 8445 9) between two cores on the simulated network.
@Suite("ICE restart")
struct ICERestartTests {
    static func ufrag(in sdp: String) -> String? {
        sdp.split(separator: "\r\n").first { $0.hasPrefix("a=ice-ufrag:") }.map { String($0.dropFirst("a=ice-ufrag:".count)) }
    }

    @Test("createOffer(iceRestart: true) and the answer carry new credentials; video keeps arriving in order during the restart, the new generation takes over within 1 s, and the connection stays connected throughout")
    func restartDuringCall() throws {
        var call = try SimulatedCall(conditions: SimulatedLinkConditions(delay: .milliseconds(20)), seed: 3)
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        let beforeRestart = call.receivedFrames.count
        #expect(beforeRestart >= 25)
        let firstUfrag = try #require(Self.ufrag(in: try call.offerer.createOffer().sdp))
        let firstAnswerUfrag = call.answerer.selectedCandidatePair?.local.ufrag
        call.offererEvents.removeAll()
        call.answererEvents.removeAll()

        let offer = try call.offerer.createOffer(iceRestart: true)
        let restartUfrag = try #require(Self.ufrag(in: offer.sdp))
        #expect(restartUfrag != firstUfrag)
        try call.offerer.setLocalDescription(offer, at: call.now)
        #expect(call.offerer.isRestartingICE)
        try call.answerer.setRemoteDescription(offer, at: call.now)
        let answer = try call.answerer.createAnswer()
        try call.answerer.setLocalDescription(answer, at: call.now)
        #expect(Self.ufrag(in: answer.sdp) != firstAnswerUfrag, "the answerer restarts too, with credentials of its own")
        try call.offerer.setRemoteDescription(answer, at: call.now)
        let restartedAt = call.now

        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        #expect(!call.offerer.isRestartingICE && !call.answerer.isRestartingICE, "the new generation took over within 1 s")
        #expect(call.offerer.selectedCandidatePair?.local.ufrag == restartUfrag)
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        #expect(call.now - restartedAt >= .seconds(2))
        #expect(call.receivedFrames.count >= beforeRestart + 55, "video kept arriving: \(beforeRestart) -> \(call.receivedFrames.count)")
        let numbers = try SimulatedCallTests.decodedFrameNumbers(call.receivedFrames)
        #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, "in order, once each")
        // No state change at all: DTLS and SRTP went on over the switch.
        let changes = (call.offererEvents + call.answererEvents).compactMap { event -> PeerConnectionState? in
            if case .connectionStateChanged(let state) = event { return state }
            return nil
        }
        #expect(changes.isEmpty, "\(changes)")
        #expect(call.bothConnected)
    }

    @Test("a restart offer that is created but never set changes nothing: no restart, the same pair, still connected")
    func oldGenerationIgnored() throws {
        var call = try SimulatedCall()
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        let stale = try call.offerer.createOffer(iceRestart: true)
        #expect(!call.offerer.isRestartingICE, "only setting the offer restarts")
        #expect(Self.ufrag(in: stale.sdp) != nil)
        let pair = call.offerer.selectedCandidatePair
        try call.run(for: .seconds(2))
        #expect(call.offerer.selectedCandidatePair == pair)
        #expect(call.bothConnected)
    }
}
