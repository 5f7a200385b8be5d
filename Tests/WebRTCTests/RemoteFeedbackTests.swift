import RTPKit
import Testing
import TestSupport
@testable import WebRTC

/// Feedback a remote peer sends, injected through the answerer's own SRTCP
/// context (internal API) so that each rule can be checked on its own.
@Suite("Feedback from the remote side")
struct RemoteFeedbackTests {
    @Test("a FIR repeated with the same sequence number counts as one request; a new sequence number is a new one")
    func firSequenceNumbers() throws {
        var call = try AudioVideoCallTests.connected(offererSends: [.video])
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .milliseconds(500), sending: &media)
        let ssrc = try #require(call.offerer.transceivers.first?.sendSSRC)
        func fir(_ sequence: UInt8) throws -> Int {
            call.answerer.sendRTCP([.fullIntraRequest(RTCPFullIntraRequest(
                senderSSRC: 1, entries: [.init(ssrc: ssrc, sequenceNumber: sequence)]))])
            try SimulatedMedia.run(&call, for: .milliseconds(300), sending: &media)
            return call.offerer.statistics.outbound(.video)?.firCount ?? -1
        }
        let keyFramesBefore = call.offerer.statistics.keyFramesSent
        #expect(try fir(7) == 1, "a new FIR is a request")
        #expect(call.offerer.statistics.keyFramesSent > keyFramesBefore, "and it was answered with a key frame")
        #expect(try fir(7) == 1, "the same FIR again is a retransmission of the request (RFC 5104 4.3.1.2)")
        #expect(try fir(8) == 2, "the next sequence number is a new request")
    }

    @Test("a NACK for packets the sender still keeps is answered with those packets on the RTX stream, which the receiver restores and counts; one for an unknown SSRC is ignored")
    func nackAnswered() throws {
        var call = try AudioVideoCallTests.connected(offererSends: [.video])
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .milliseconds(500), sending: &media)
        let ssrc = try #require(call.offerer.transceivers.first?.sendSSRC)
        let before = call.offerer.statistics.packetsRetransmitted
        let stream = try #require(call.answerer.media.receiveStreams[ssrc] as? RTPReceiveStream<VP8Depacketizer>)
        let highest = try #require(stream.reception.extendedHighestSequenceNumber)
        let lastThree = (highest - 2...highest).map { UInt16(truncatingIfNeeded: $0) }
        call.answerer.sendRTCP([.genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 0xDEAD_BEEF, lostSequenceNumbers: lastThree))])
        try call.run(for: .milliseconds(100))
        #expect(call.offerer.statistics.packetsRetransmitted == before, "a NACK for another SSRC is ignored")
        let duplicatesBefore = call.answerer.statistics.packetsReceived
        call.answerer.sendRTCP([.genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: ssrc, lostSequenceNumbers: lastThree))])
        try call.run(for: .milliseconds(100))
        #expect(call.offerer.statistics.packetsRetransmitted == before + 3, "the three kept packets went out again")
        // On the RTX stream (its own SSRC and sequence numbers), so SRTP lets
        // them through; restored, they are counted as retransmissions, not
        // as packets of the media stream again.
        #expect(call.answerer.statistics.packetsReceived == duplicatesBefore)
        let inbound = try #require(call.answerer.statistics.inbound(.video))
        #expect(inbound.retransmittedPacketsReceived == 3)
        #expect(call.offerer.statistics.outbound(.video)?.rtxSSRC != nil)
    }

    @Test("without RTX in the offer, a NACK is answered on the media SSRC with the very packets, whose copies SRTP's replay check drops")
    func nackAnsweredWithoutRTX() throws {
        var call = try SimulatedCall(offererSends: [.video])
        try call.negotiate { JSEPEdgeCaseTests.removingLines($0) { $0.contains(" rtx/") || $0.contains("apt=") || $0.hasPrefix("a=ssrc-group:FID") } }
        try call.run(for: .seconds(10)) { $0.bothConnected }
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .milliseconds(500), sending: &media)
        let ssrc = try #require(call.offerer.transceivers.first?.sendSSRC)
        let stream = try #require(call.answerer.media.receiveStreams[ssrc] as? RTPReceiveStream<VP8Depacketizer>)
        let highest = try #require(stream.reception.extendedHighestSequenceNumber)
        let lastThree = (highest - 2...highest).map { UInt16(truncatingIfNeeded: $0) }
        let received = call.answerer.statistics.packetsReceived
        let before = call.offerer.statistics.packetsRetransmitted
        call.answerer.sendRTCP([.genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: ssrc, lostSequenceNumbers: lastThree))])
        try call.run(for: .milliseconds(100))
        #expect(call.offerer.statistics.packetsRetransmitted == before + 3)
        #expect(call.offerer.statistics.outbound(.video)?.rtxSSRC == nil)
        #expect(call.answerer.statistics.packetsReceived == received, "SRTP dropped the copies as replays")
        #expect(call.answerer.statistics.inbound(.video)?.retransmittedPacketsReceived == 0)
    }

    @Test("a NACK repeated within a round trip is answered once, and a flood of NACKs cannot make retransmissions more than half of the media bytes sent (plus a 16 KiB start)")
    func nackFloodBudgeted() throws {
        var call = try AudioVideoCallTests.connected(offererSends: [.video])
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .milliseconds(500), sending: &media)
        let ssrc = try #require(call.offerer.transceivers.first?.sendSSRC)
        let stream = try #require(call.answerer.media.receiveStreams[ssrc] as? RTPReceiveStream<VP8Depacketizer>)
        func lastPackets(_ count: Int64) throws -> [UInt16] {
            let highest = try #require(stream.reception.extendedHighestSequenceNumber)
            return (highest - count + 1...highest).map { UInt16(truncatingIfNeeded: $0) }
        }
        let before = try #require(call.offerer.statistics.outbound(.video))
        let three = try lastPackets(3)
        // The same NACK twice, a millisecond apart: both reach the sender within one round trip.
        call.answerer.sendRTCP([.genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: ssrc, lostSequenceNumbers: three))])
        try call.run(for: .milliseconds(1))
        call.answerer.sendRTCP([.genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: ssrc, lostSequenceNumbers: three))])
        try call.run(for: .milliseconds(100))
        let once = try #require(call.offerer.statistics.outbound(.video))
        #expect(once.packetsRetransmitted == before.packetsRetransmitted + 3, "answered once")
        #expect(once.retransmissionsRefused == before.retransmissionsRefused + 3, "the repeat within a round trip was refused")

        // A second of NACKs for the last 64 packets every 10 ms, media going on.
        for _ in 0..<100 {
            call.answerer.sendRTCP([.genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: ssrc, lostSequenceNumbers: try lastPackets(64)))])
            try SimulatedMedia.run(&call, for: .milliseconds(10), sending: &media)
        }
        let after = try #require(call.offerer.statistics.outbound(.video))
        let sent = after.bytesSent
        #expect(after.bytesRetransmitted <= sent / 2 + 16_384, "\(after.bytesRetransmitted) bytes resent for \(sent) sent")
        #expect(after.retransmissionsRefused > once.retransmissionsRefused, "the flood was refused in part")
        #expect(after.packetsRetransmitted > once.packetsRetransmitted, "and answered in part")
    }
}
