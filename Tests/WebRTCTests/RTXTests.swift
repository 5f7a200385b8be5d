import RTPKit
import Testing
@testable import WebRTC

/// RTX (RFC 4588): retransmissions on a stream of their own.
@Suite("RTX retransmission streams")
struct RTXTests {
    @Test("an offer gives VP8 an rtx codec with apt=96 and an FID group pairing the media and RTX SSRCs; audio gets none; the answer keeps it")
    func negotiated() throws {
        var call = try SimulatedCall(offererSends: [.video, .audio])
        let offer = try call.offerer.createOffer().sdp
        #expect(offer.contains("a=rtpmap:97 rtx/90000"))
        #expect(offer.contains("a=fmtp:97 apt=96"))
        #expect(offer.components(separatedBy: " rtx/").count == 2, "one RTX codec, for video only")
        let video = try #require(call.offerer.transceivers.first { $0.kind == .video })
        #expect(offer.contains("a=ssrc-group:FID \(try #require(video.sendSSRC)) "))
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.offerer.statistics.outbound(.video)?.rtxSSRC != nil, "the answer accepted RTX")
        #expect(call.offerer.statistics.outbound(.audio)?.rtxSSRC == nil)
    }

    @Test("an RTX packet carries the original header with the RTX payload type, SSRC and sequence number, then the original sequence number; restoring it gives the original packet back; one with no payload (padding) restores nothing")
    func wrapping() throws {
        var original = RTPPacket(payloadType: 96, sequenceNumber: 0xBEEF, timestamp: 1234, ssrc: 0x0102_0304, payload: [9, 8, 7, 6])
        original.marker = true
        let bytes = original.serialized()
        let wrapped = try #require(RTXPacket.wrap(bytes, ssrc: 0xAABB_CCDD, payloadType: 97, sequenceNumber: 7))
        let header = try RTPHeader(parsing: wrapped)
        #expect(header.payloadType == 97 && header.ssrc == 0xAABB_CCDD && header.sequenceNumber == 7 && header.marker)
        #expect(Array(wrapped[header.payloadRange]) == [0xBE, 0xEF, 9, 8, 7, 6])
        let restored = try #require(RTXPacket.restore(wrapped, header: header, mediaSSRC: 0x0102_0304, payloadType: 96))
        #expect(restored == bytes)
        let padding = RTPPacket(payloadType: 97, sequenceNumber: 8, timestamp: 1234, ssrc: 0xAABB_CCDD, paddingLength: 200).serialized()
        #expect(RTXPacket.restore(padding, header: try RTPHeader(parsing: padding), mediaSSRC: 1, payloadType: 96) == nil)
    }
}
