/// What kind of packet a datagram on the shared UDP port is, by its first
/// byte (RFC 7983 section 7, as updated by RFC 9443 for the ranges used here).
enum PacketClass: Sendable, Hashable {
    /// STUN (ICE connectivity checks): 0...3.
    case stun
    /// DTLS records: 20...63.
    case dtls
    /// RTP or RTCP: 128...191.
    case rtpOrRTCP
    /// Anything else (ZRTP, TURN channels, garbage): dropped.
    case other

    init(firstByte: UInt8) {
        switch firstByte {
        case 0...3: self = .stun
        case 20...63: self = .dtls
        case 128...191: self = .rtpOrRTCP
        default: self = .other
        }
    }

    /// Tells RTCP from RTP once a packet is known to be one of them: RTCP
    /// packet types 192...223 sit where RTP has marker bit + payload type
    /// (RFC 5761 section 4).
    static func isRTCP(secondByte: UInt8) -> Bool {
        (192...223).contains(secondByte)
    }
}
