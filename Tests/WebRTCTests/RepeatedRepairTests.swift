import Synchronization
import Testing
import TestSupport
import WebRTC

/// A repair that failed once is urgent: its frame waits. The second request
/// and the second retransmission each go out twice.
@Suite("Repairs asked for again")
struct RepeatedRepairTests {
    /// Drops the 60th VP8 packet and then the first RTX packet (its repair).
    final class DropPacketAndItsRepair: Sendable {
        private struct State {
            var videoPackets = 0
            var droppedMedia = false
            var droppedRepair = false
        }

        private let state = Mutex(State())

        func discards(_ bytes: [UInt8]) -> Bool {
            // RTP (RFC 7983: first byte 128-191) and not RTCP (payload types 200-206 with the marker bit).
            guard bytes.count >= 12, (128...191).contains(bytes[0]), !(200...206).contains(bytes[1]) else { return false }
            let payloadType = bytes[1] & 0x7F
            return state.withLock { state in
                if payloadType == 96 {
                    state.videoPackets += 1
                    if state.videoPackets == 60 {
                        state.droppedMedia = true
                        return true
                    }
                } else if payloadType != 111, state.droppedMedia, !state.droppedRepair {
                    state.droppedRepair = true
                    return true
                }
                return false
            }
        }

        var droppedBoth: Bool { state.withLock { $0.droppedMedia && $0.droppedRepair } }
    }

    @Test("when a retransmission is lost, the receiver's second NACK for the packet goes out twice and the sender sends the packet twice; the packet arrives and every frame decodes")
    func secondRequestAndRepairGoTwice() throws {
        let dropper = DropPacketAndItsRepair()
        var call = try SimulatedCall(conditions: SimulatedLinkConditions(delay: .milliseconds(20)), seed: 31)
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        try #require(call.bothConnected)
        call.network.discards = { dropper.discards($0) }
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(3), sending: &media)
        try call.run(for: .milliseconds(300))

        #expect(dropper.droppedBoth)
        let inbound = try #require(call.answerer.statistics.inbound.first)
        #expect(inbound.nacksSent == 3, "one NACK, then the repeat twice: \(inbound.nacksSent)")
        #expect(call.offerer.statistics.packetsRetransmitted == 3, "once, then twice: \(call.offerer.statistics.packetsRetransmitted)")
        #expect(inbound.packetsRecovered == 1 && inbound.packetsUnrecovered == 0)
        let decoded = try SimulatedCallTests.decodedFrameNumbers(call.receivedFrames)
        #expect(decoded == Array(0..<media[0].pattern.frameNumber), "every frame decodes")
    }
}
