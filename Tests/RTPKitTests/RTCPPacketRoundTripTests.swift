import Testing
import RTPKit

@Suite("RTCP packet round trips")
struct RTCPPacketRoundTripTests {
    static let blockA = RTCPReportBlock(
        ssrc: 0x1111_1111, fractionLost: 25, cumulativeLost: 1000, extendedHighestSequenceNumber: 0x0001_0010,
        jitter: 42, lastSenderReport: 0x5678_9ABC, delaySinceLastSenderReport: 0x0001_8000)
    static let blockB = RTCPReportBlock(ssrc: 0x2222_2222, fractionLost: 255, cumulativeLost: -3, extendedHighestSequenceNumber: 7)

    static let senderReport = RTCPSenderReport(
        ssrc: 0xAABB_CCDD, ntpTimestamp: NTPTimestamp(seconds: 0xE000_0001, fraction: 0x8000_0000),
        rtpTimestamp: 90_000, packetCount: 500, octetCount: 600_000, reportBlocks: [blockA, blockB])

    @Test("an SR with report blocks has RFC 3550's layout and round trips")
    func senderReportLayout() throws {
        let bytes = Self.senderReport.serialized()
        #expect(bytes.count == 4 + 24 + 2 * 24)
        #expect(Array(bytes[0..<4]) == hex("82 c8 0012"))
        #expect(Array(bytes[4..<28]) == hex("aabbccdd e0000001 80000000 00015f90 000001f4 000927c0"))
        #expect(Array(bytes[28..<52]) == hex("11111111 19 0003e8 00010010 0000002a 56789abc 00018000"))
        #expect(Array(bytes[52..<60]) == hex("22222222 ff fffffd"))
        #expect(try RTCPSenderReport(parsing: bytes) == Self.senderReport)
        #expect(try RTCPPacket(parsing: bytes) == .senderReport(Self.senderReport))
    }

    @Test("an RR round trips with no blocks, with blocks, and with a profile extension")
    func receiverReport() throws {
        let empty = RTCPReceiverReport(ssrc: 1)
        #expect(empty.serialized() == hex("80c90001 00000001"))
        #expect(try RTCPReceiverReport(parsing: empty.serialized()) == empty)
        let full = RTCPReceiverReport(ssrc: 2, reportBlocks: [Self.blockA], profileExtension: [1, 2, 3, 4])
        #expect(try RTCPReceiverReport(parsing: full.serialized()) == full)
        #expect(full.serializedSize == 36)
        // An extension that is not whole words is written with RTCP padding.
        let odd = RTCPReceiverReport(ssrc: 3, profileExtension: [7, 8, 9])
        #expect(odd.serialized() == hex("a0c90002 00000003 07080901"))
        #expect(try RTCPReceiverReport(parsing: odd.serialized()) == odd)
    }

    @Test("cumulative loss is a signed 24-bit field, clamped when written")
    func cumulativeLostClamping() throws {
        var block = RTCPReportBlock(ssrc: 1, cumulativeLost: 10_000_000)
        var parsed = try RTCPReceiverReport(parsing: RTCPReceiverReport(ssrc: 9, reportBlocks: [block]).serialized())
        #expect(parsed.reportBlocks[0].cumulativeLost == 0x7F_FFFF)
        block.cumulativeLost = -10_000_000
        parsed = try RTCPReceiverReport(parsing: RTCPReceiverReport(ssrc: 9, reportBlocks: [block]).serialized())
        #expect(parsed.reportBlocks[0].cumulativeLost == -0x80_0000)
    }

    @Test("SDES chunks end with a null item and pad to 32 bits")
    func sourceDescription() throws {
        let sdes = RTCPSourceDescription(chunks: [
            .init(ssrc: 0x0102_0304, cname: "abc"),
            .init(ssrc: 5, items: [
                .init(type: .cname, text: "user@host"),
                .init(type: .tool, text: "swift-webrtc"),
                .init(type: .private, value: [3, 0x61, 0x62, 0x63, 0xFF]),
            ]),
            .init(ssrc: 6, items: []),
        ])
        let bytes = sdes.serialized()
        // 4 + (4 + 5 + 1 -> 12) + (4 + 11 + 14 + 7 + 1 -> 40) + (4 + 1 -> 8)
        #expect(bytes.count == 4 + 12 + 40 + 8)
        #expect(Array(bytes[0..<16]) == hex("83ca000f 01020304 0103616263 000000"))
        #expect(Array(bytes[56..<64]) == hex("00000006 00000000"))
        let parsed = try RTCPSourceDescription(parsing: bytes)
        #expect(parsed == sdes)
        #expect(parsed.chunks[1].cname == "user@host")
        #expect(parsed.chunks[2].cname == nil)
        #expect(parsed.chunks[1].items[1].text == "swift-webrtc")
    }

    @Test("an SDES item exactly filling a word still gets a full word of nulls")
    func sourceDescriptionAlignedItem() throws {
        let sdes = RTCPSourceDescription(chunks: [.init(ssrc: 7, cname: "ab")])  // 4 + 2 + 2 = 8
        #expect(sdes.serialized() == hex("81ca0003 00000007 01026162 00000000"))
        #expect(try RTCPSourceDescription(parsing: sdes.serialized()) == sdes)
    }

    @Test("BYE carries its sources and an optional padded reason")
    func goodbye() throws {
        let plain = RTCPGoodbye(ssrcs: [0x0A0B_0C0D])
        #expect(plain.serialized() == hex("81cb0001 0a0b0c0d"))
        let withReason = RTCPGoodbye(ssrcs: [1, 2], reason: "camera off")
        #expect(withReason.serialized() == hex("82cb0005 00000001 00000002 0a63616d 65726120 6f666600"))
        #expect(try RTCPGoodbye(parsing: withReason.serialized()) == withReason)
        // A reason longer than 255 bytes is cut at a character boundary (é is 2 bytes).
        let long = RTCPGoodbye(ssrcs: [1], reason: "a" + String(repeating: "é", count: 200))
        let parsedLong = try RTCPGoodbye(parsing: long.serialized())
        #expect(parsedLong.reason == "a" + String(repeating: "é", count: 127))
        // Invalid UTF-8 parses with replacement characters and still serializes.
        let invalid = try RTCPGoodbye(parsing: hex("80cb0001 03fffefd"))
        #expect(invalid.reason == "\u{FFFD}\u{FFFD}\u{FFFD}")
        #expect(try RTCPGoodbye(parsing: invalid.serialized()) == invalid)
        let none = RTCPGoodbye(ssrcs: [], reason: "")
        #expect(none.serialized() == hex("80cb0001 00000000"))
        #expect(try RTCPGoodbye(parsing: none.serialized()) == none)
    }

    @Test("PLI, FIR and generic NACK have RFC 4585/5104's layouts and round trip")
    func feedback() throws {
        let pli = RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 0xFEDC_BA98)
        #expect(pli.serialized() == hex("81ce0002 00000001 fedcba98"))
        #expect(try RTCPPictureLossIndication(parsing: pli.serialized()) == pli)

        let fir = RTCPFullIntraRequest(senderSSRC: 1, entries: [.init(ssrc: 0x0203_0405, sequenceNumber: 9), .init(ssrc: 7, sequenceNumber: 255)])
        #expect(fir.serialized() == hex("84ce0006 00000001 00000000 02030405 09000000 00000007 ff000000"))
        #expect(try RTCPFullIntraRequest(parsing: fir.serialized()) == fir)

        let nack = RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 2, entries: [.init(packetID: 0x1234, lostBitmask: 0x8001)])
        #expect(nack.serialized() == hex("81cd0003 00000001 00000002 12348001"))
        #expect(try RTCPGenericNACK(parsing: nack.serialized()) == nack)
    }

    @Test("a compound SR + SDES parses to its packets and serializes back")
    func compoundSenderReportAndSDES() throws {
        let compound = RTCPCompoundPacket([
            .senderReport(Self.senderReport),
            .sourceDescription(RTCPSourceDescription(chunks: [.init(ssrc: 0xAABB_CCDD, cname: "f7b16e83@example")])),
        ])
        let bytes = compound.serialized()
        #expect(bytes.count == compound.serializedSize)
        let parsed = try RTCPCompoundPacket(parsing: bytes)
        #expect(parsed == compound)
        #expect(!parsed.isReducedSize)
        #expect(parsed.packets.map(\.packetType) == [.senderReport, .sourceDescription])
    }

    @Test("a compound RR + PLI + NACK parses to its packets and serializes back")
    func compoundReceiverReportPLIAndNACK() throws {
        let compound = RTCPCompoundPacket([
            .receiverReport(RTCPReceiverReport(ssrc: 1, reportBlocks: [Self.blockA])),
            .pictureLossIndication(RTCPPictureLossIndication(senderSSRC: 1, mediaSSRC: 0x1111_1111)),
            .genericNACK(RTCPGenericNACK(senderSSRC: 1, mediaSSRC: 0x1111_1111, lostSequenceNumbers: [5, 6, 30])),
        ])
        let parsed = try RTCPCompoundPacket(parsing: compound.serialized())
        #expect(parsed == compound)
        #expect(parsed.serialized() == compound.serialized())
    }

    // Transport-wide congestion control feedback captured from Chromium, as decoded
    // by Wireshark: P=1, FMT 15, PT 205, length 7, media SSRC 0xdd586eb6.
    static let chromiumTransportFeedback = hex("""
        afcd0007 00000001 dd586eb6 00010009 5e911000 20091c0c 2c380004 00081801
        """)

    /// The same bytes as an FMT RTPKit does not interpret (3, TMMBR).
    static let uninterpretedFeedback: [UInt8] = [0xA3] + Self.chromiumTransportFeedback.dropFirst()

    @Test("Chromium's transport-wide feedback parses to its fields and serializes back byte for byte")
    func chromiumTransportFeedbackParses() throws {
        let packet = try RTCPPacket(parsing: Self.chromiumTransportFeedback)
        guard case .transportWideFeedback(let feedback) = packet else {
            Issue.record("expected transport-wide feedback, got \(packet)")
            return
        }
        #expect(feedback.senderSSRC == 1 && feedback.mediaSSRC == 0xdd58_6eb6)
        #expect(feedback.baseSequenceNumber == 1 && feedback.feedbackPacketCount == 0)
        #expect(feedback.referenceTime == 0x5e_9110)
        #expect(feedback.packets.map(\.receiveDelta) == [0x1c, 0x0c, 0x2c, 0x38, 0x00, 0x04, 0x00, 0x08, 0x18])
        #expect(packet.serialized() == Self.chromiumTransportFeedback)
    }

    @Test("packets RTPKit does not interpret are kept verbatim, padding included")
    func unknownPreserved() throws {
        let packet = try RTCPPacket(parsing: Self.uninterpretedFeedback)
        guard case .unknown(let raw) = packet else {
            Issue.record("expected a raw packet, got \(packet)")
            return
        }
        #expect(raw.packetType == .transportFeedback && raw.count == 3 && raw.hasPadding)
        #expect(raw.body.count == 28)
        #expect(packet.serialized() == Self.uninterpretedFeedback)
        let app = RTCPRawPacket(packetType: .applicationDefined, count: 3, body: hex("00000001 6e616d65 01"))
        #expect(app.serialized() == hex("83cc0003 00000001 6e616d65 01000000"))
        let compound = try RTCPCompoundPacket(parsing: Self.uninterpretedFeedback + app.serialized())
        #expect(compound.packets.count == 2)
        #expect(compound.serialized() == Self.uninterpretedFeedback + app.serialized())
        #expect(try RTCPRawPacket(parsing: Self.uninterpretedFeedback) == raw)
    }

    @Test("a reduced-size datagram holds a lone feedback packet")
    func reducedSize() throws {
        let pli = RTCPPictureLossIndication(senderSSRC: 3, mediaSSRC: 4)
        let compound = try RTCPCompoundPacket(parsing: pli.serialized())
        #expect(compound.packets == [.pictureLossIndication(pli)])
        #expect(compound.isReducedSize)
    }

    @Test("padding on a known packet is stripped on parse")
    func paddedKnownPacket() throws {
        // An RR with the P bit and 4 bytes of padding (count in the last byte).
        let bytes = hex("a0c90002 00000009 00000004")
        #expect(try RTCPCompoundPacket(parsing: bytes).packets == [.receiverReport(RTCPReceiverReport(ssrc: 9))])
    }
}
