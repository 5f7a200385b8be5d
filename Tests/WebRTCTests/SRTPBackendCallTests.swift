import CodecBridge
import SecureTransport
import Testing
import WebRTC

@Suite("Calls whose ends protect media with different SRTP libraries")
struct SRTPBackendCallTests {
    @Test(
        "an OpenSSL sender and a libsrtp2 receiver (and the reverse) deliver every frame, each reporting its own backend",
        arguments: [(SRTPBackend.openSSL, SRTPBackend.libsrtp2), (.libsrtp2, .openSSL)])
    func mixedBackends(offererBackend: SRTPBackend, answererBackend: SRTPBackend) throws {
        var call = try SimulatedCall(
            offerer: .init(certificate: try .init(), srtpBackend: offererBackend),
            answerer: .init(certificate: try .init(), srtpBackend: answererBackend))
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)

        let encoder = try VP8Encoder(configuration: .init(width: 160, height: 120, frameRate: 30, bitrate: 300_000))
        var source = try TestPatternSource(width: 160, height: 120, frameRate: 30)
        try SimulatedCallTests.sendFrames(30, on: &call, encoder: encoder, source: &source)
        try call.run(for: .milliseconds(300))

        #expect(try SimulatedCallTests.decodedFrameNumbers(call.receivedFrames) == Array(0..<30))
        // RTCP went both ways through both libraries: the sender learnt the round trip.
        #expect(call.offerer.statistics.roundTripTime != nil)
        #expect(call.offerer.statistics.srtpBackend == offererBackend)
        #expect(call.answerer.statistics.srtpBackend == answererBackend)
        #expect(call.offerer.statistics.srtpProfile == call.answerer.statistics.srtpProfile)
        #expect(call.offerer.statistics.srtpProfile != nil)
    }

    @Test("before the DTLS handshake the statistics name no SRTP backend or profile")
    func noBackendBeforeHandshake() throws {
        let core = PeerConnectionCore(configuration: .init(certificate: try .init()))
        #expect(core.statistics.srtpBackend == nil)
        #expect(core.statistics.srtpProfile == nil)
    }
}
