import RTPKit
import Testing
@testable import WebRTC

/// One receiving stream, fed packets directly.
@Suite("Receive stream")
struct ReceiveStreamTests {
    let start = ContinuousClock.now

    static func stream() -> RTPReceiveStream<VP8Depacketizer> {
        RTPReceiveStream(
            setup: ReceiveStreamSetup(
                mid: "0", kind: .video, remoteSSRC: 5, localSSRC: 9, clockRate: 90_000, audioLevelExtensionID: nil,
                sendsNACK: true, sendsPLI: true, sendsFIR: false, pictureLossIndicationInterval: .milliseconds(500)),
            depacketizer: VP8Depacketizer())
    }

    /// A one-packet key frame with this sequence number.
    static func packet(_ sequence: UInt16) -> [UInt8] {
        RTPPacket(payloadType: 96, sequenceNumber: sequence, timestamp: UInt32(sequence) * 3000, ssrc: 5, marker: true,
            payload: [0x10, 0x00, 0x9D, 0x01, 0x2A]).serialized()
    }

    @Test("retransmissions far behind the newest packet (two RTX repairs 200 numbers back) leave the reception statistics alone: no restart, no double count")
    func retransmissionsLeaveReceptionAlone() throws {
        let stream = Self.stream()
        var output = ReceiveOutput()
        for sequence: UInt16 in 0..<300 where sequence != 100 && sequence != 101 {
            let bytes = Self.packet(sequence)
            stream.receive(
                try RTPHeader(parsing: bytes), bytes: bytes, isRetransmission: false, roundTrip: .milliseconds(100),
                at: start + .milliseconds(Int(sequence)), into: &output)
        }
        let highest = stream.reception.extendedHighestSequenceNumber
        let received = stream.statistics.packetsReceived
        for sequence: UInt16 in [100, 101] {
            let bytes = Self.packet(sequence)
            stream.receive(
                try RTPHeader(parsing: bytes), bytes: bytes, isRetransmission: true, roundTrip: .milliseconds(100),
                at: start + .milliseconds(400), into: &output)
        }
        #expect(stream.reception.extendedHighestSequenceNumber == highest)
        #expect(stream.statistics.packetsReceived == received)
        #expect(stream.statistics.packetsRecovered == 2, "they did fill their gaps")
    }

    @Test("however large the jitter a sender's timestamps make, the jitter buffer waits at most 500 ms for a gap, with NACK or without")
    func lossWaitIsBounded() {
        for nacks in [false, true] {
            let wait = RTPReceiveStream<VP8Depacketizer>.lossWait(roundTrip: .milliseconds(100), jitter: .seconds(1500), nacks: nacks)
            #expect(wait == .milliseconds(500))
        }
    }
}
