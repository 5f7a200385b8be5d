import Testing

@testable import RTPKit

/// REMB (draft-alvestrand-rmcat-remb-03): payload-specific feedback FMT 15 with "REMB".
@Suite("RTCP receiver estimated maximum bitrate (REMB)")
struct RTCPReceiverEstimatedBitrateTests {
    /// 1 Mbit/s for one SSRC: exponent 2, mantissa 250,000 (0x3d090).
    static let oneMegabit = hex("8fce0005 00000001 00000000 52454d42 010bd090 dd586eb6")

    @Test("a REMB parses to its sender, its bitrate (mantissa × 2^exponent) and its SSRCs, and serializes back byte for byte")
    func parsesAndRoundTrips() throws {
        let packet = try RTCPPacket(parsing: Self.oneMegabit)
        guard case .receiverEstimatedBitrate(let estimate) = packet else {
            Issue.record("expected a REMB, got \(packet)")
            return
        }
        #expect(estimate.senderSSRC == 1)
        #expect(estimate.bitrate == 1_000_000)
        #expect(estimate.ssrcs == [0xdd58_6eb6])
        #expect(packet.serialized() == Self.oneMegabit)
        #expect(packet.packetType == .payloadSpecificFeedback)
    }

    @Test("a bitrate too precise for an 18-bit mantissa is written rounded down, and one of 2.5 Gbit/s survives the round trip within 0.001%")
    func mantissaRounding() throws {
        for bitrate: UInt64 in [123_456_789, 2_500_000_000, 0, 262_143] {
            let bytes = RTCPPacket.receiverEstimatedBitrate(.init(senderSSRC: 9, bitrate: bitrate, ssrcs: [1, 2])).serialized()
            guard case .receiverEstimatedBitrate(let parsed) = try RTCPPacket(parsing: bytes) else {
                Issue.record("not a REMB")
                continue
            }
            #expect(parsed.bitrate <= bitrate && Double(bitrate - parsed.bitrate) <= Double(bitrate) * 0.000_01, "\(bitrate) became \(parsed.bitrate)")
            #expect(parsed.ssrcs == [1, 2])
        }
    }

    @Test("a REMB that names more SSRCs than it holds is a typed error; application-layer feedback that is not REMB stays uninterpreted")
    func malformed() throws {
        var twoClaimed = Self.oneMegabit
        twoClaimed[16] = 2
        #expect(throws: RTPError.self) { try RTCPPacket(parsing: twoClaimed) }
        var other = Self.oneMegabit
        other[12] = 0x41  // "AEMB"
        guard case .unknown = try RTCPPacket(parsing: other) else {
            Issue.record("other application-layer feedback was interpreted")
            return
        }
    }
}
