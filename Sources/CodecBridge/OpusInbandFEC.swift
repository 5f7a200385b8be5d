/// Reads, without decoding, whether an Opus packet carries in-band forward
/// error correction for the packet before it (RFC 6716 4.2.4: SILK's "LBRR"
/// frames, low-bitrate redundancy).
///
/// libopus's decoder rebuilds a lost packet from the next one's LBRR data,
/// and silently conceals when there is none; a receiver that counts what it
/// recovered needs to tell the two apart first. (libopus 1.3 has no call for
/// this; 1.5's `opus_packet_has_lbrr` does the same.)
public enum OpusInbandFEC {
    /// Whether the first Opus frame of `packet` holds LBRR data for any channel.
    ///
    /// Only SILK-only and hybrid packets can; CELT-only packets, empty frames
    /// (DTX) and malformed packets answer `false`.
    public static func isPresent(in packet: [UInt8]) -> Bool {
        guard let toc = packet.first else { return false }
        let configuration = Int(toc >> 3)
        // Configurations 0-11 are SILK-only, 12-15 hybrid, 16-31 CELT-only (RFC 6716 3.1).
        guard configuration < 16 else { return false }
        let silkFrames: Int
        if configuration < 12 {
            // SILK-only comes in 10, 20, 40 and 60 ms: 1, 1, 2 and 3 SILK frames of 20 ms.
            silkFrames = max(1, configuration % 4)
        } else {
            silkFrames = 1
        }
        let channels = toc & 0x04 == 0 ? 1 : 2
        guard let start = firstFrameOffset(packet), start < packet.count else { return false }
        // The range coder starts with equiprobable flags, so each of them is
        // one bit of the first byte, most significant first: per channel,
        // one voice-activity flag per SILK frame, then the LBRR flag.
        let header = packet[start]
        for channel in 0..<channels {
            let bit = (channel + 1) * (silkFrames + 1) - 1
            if header & (0x80 >> UInt8(bit)) != 0 { return true }
        }
        return false
    }

    /// Where the first frame's data starts, by the frame-packing code in the
    /// TOC byte (RFC 6716 3.2); `nil` when the packet is malformed or its
    /// first frame is empty.
    private static func firstFrameOffset(_ packet: [UInt8]) -> Int? {
        switch packet[0] & 0x03 {
        case 0, 1:
            // One frame, or two of equal size: the data follows the TOC.
            return 1
        case 2:
            // Two frames: the first one's length comes first, in one or two bytes.
            guard packet.count > 1 else { return nil }
            let first = Int(packet[1])
            guard first > 0 else { return nil }
            return first < 252 ? 2 : 3
        default:
            // Any number of frames: a count byte, optional padding lengths,
            // and for variable sizes the length of each frame but the last.
            guard packet.count > 1 else { return nil }
            let countByte = packet[1]
            let frameCount = Int(countByte & 0x3F)
            guard frameCount > 0 else { return nil }
            var offset = 2
            if countByte & 0x40 != 0 {
                // Padding lengths: 255 means 254 bytes and another length byte.
                while true {
                    guard offset < packet.count else { return nil }
                    let length = packet[offset]
                    offset += 1
                    if length != 255 { break }
                }
            }
            if countByte & 0x80 != 0, frameCount > 1 {
                guard offset < packet.count else { return nil }
                let first = Int(packet[offset])
                guard first > 0 else { return nil }
                // Skip every length field; the first frame's data follows them.
                for _ in 0..<(frameCount - 1) {
                    guard offset < packet.count else { return nil }
                    offset += packet[offset] < 252 ? 1 : 2
                }
            }
            return offset
        }
    }
}
