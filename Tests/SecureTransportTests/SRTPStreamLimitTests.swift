import SecureTransport
import Testing

/// A peer that rotates SSRCs must not grow a session without bound: both
/// backends keep state for at most `SRTPSession.maximumStreams` SSRCs.
@Suite("The SSRCs an SRTP session keeps, over each backend")
struct SRTPStreamLimitTests {
    /// An RTP packet of `ssrc` with sequence number 1 and a 20-byte payload.
    static func rtp(ssrc: UInt32) -> [UInt8] {
        [0x80, 0x60, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01]
            + [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: ssrc >> $0) } + [UInt8](repeating: 0x42, count: 20)
    }

    @Test("once 1,024 SSRCs have authenticated (or been protected), a packet of a new SSRC is refused with invalidPacket and the known ones still pass; packets that fail authentication take no place", arguments: SRTPBackend.allCases)
    func newSSRCsBeyondTheLimitAreRefused(backend: SRTPBackend) throws {
        let (sender, receiver) = try SRTPSessionTests.sessions(.aes128CMHMACSHA1_80, backend)
        // Forged packets of many SSRCs first: they fail and must not count.
        for ssrc in UInt32(50_000)..<50_100 {
            var forged = Self.rtp(ssrc: ssrc) + [UInt8](repeating: 0, count: 10)
            #expect(throws: SecureTransportError.self) { try receiver.unprotect(srtp: &forged) }
        }
        func protected(_ ssrc: UInt32) throws -> [UInt8] {
            var packet = Self.rtp(ssrc: ssrc)
            try sender.protect(rtp: &packet)
            return packet
        }
        for ssrc in 1...UInt32(SRTPSession.maximumStreams) {
            var packet = try protected(ssrc)
            try receiver.unprotect(srtp: &packet)
        }
        // The sender is at the limit too: a second one with the same keys makes the packet.
        let (otherSender, _) = try SRTPSessionTests.sessions(.aes128CMHMACSHA1_80, backend)
        var beyond = Self.rtp(ssrc: UInt32(SRTPSession.maximumStreams) + 1)
        try otherSender.protect(rtp: &beyond)
        let error = #expect(throws: SecureTransportError.self) { try receiver.unprotect(srtp: &beyond) }
        #expect(error?.code == .invalidPacket, "\(String(describing: error))")
        // A known SSRC's next packet is still taken.
        var next = Self.rtp(ssrc: 7)
        next[3] = 2
        try sender.protect(rtp: &next)
        try receiver.unprotect(srtp: &next)
        #expect(next == { var plain = Self.rtp(ssrc: 7); plain[3] = 2; return plain }())
    }
}
