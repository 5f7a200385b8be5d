import RTPKit
import Testing
@testable import WebRTC

/// RTCP feedback alone only where reduced-size RTCP was negotiated.
@Suite("Reduced-size RTCP")
struct RTCPReducedSizeTests {
    @Test("without a=rtcp-rsize a PLI goes in a compound RTCP packet that starts with a receiver report (RFC 3550 6.1); with it, alone (RFC 5506)", arguments: [false, true])
    func reducedSizeOnlyWhenNegotiated(reducedSize: Bool) throws {
        var call = try SimulatedCall(offererSends: [.video])
        try call.negotiate { reducedSize ? $0 : JSEPEdgeCaseTests.removingLines($0) { $0 == "a=rtcp-rsize" } }
        try call.run(for: .seconds(10)) { $0.bothConnected }
        try #require(call.bothConnected)
        while call.answerer.pollTransmit() != nil {}
        call.answerer.sendRTCP([.pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 2))])
        let datagram = try #require(call.answerer.pollTransmit())
        // SRTCP leaves the first packet's header in the clear: its second byte is the packet type.
        #expect(datagram.bytes[1] == (reducedSize ? 206 : 201))
    }
}
