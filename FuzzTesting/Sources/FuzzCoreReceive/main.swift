import FuzzSupport
@testable import WebRTC

/// The connected pair every input is fed to (set up once: a handshake per
/// input would leave no time for fuzzing).
nonisolated(unsafe) let pair = try! ConnectedPair()  // swiftlint:disable:this force_try

/// `PeerConnectionCore`'s whole receive path after a handshake: demux, STUN,
/// DTLS, SRTP and SRTCP, RTP and RTCP parsing, the streams, depacketizers,
/// feedback and statistics. The first byte picks how the rest arrives:
/// - 0: as a raw datagram (what an attacker on the path can send);
/// - 1: as an RTP packet protected with the sender's real SRTP keys (what a
///   peer that completed the handshake can send). When bit 7 of the second
///   byte is set, the packet's SSRC is replaced by one of the sender's, picked
///   by the byte's other bits;
/// - 2: as an RTCP packet protected with the sender's SRTCP keys.
func fuzzCoreReceive(_ bytes: UnsafeBufferPointer<UInt8>) {
    var reader = FuzzReader(bytes)
    let mode = reader.byte() % 3
    let selector = reader.byte()
    var packet = Array(reader.bytes(bytes.count))
    switch mode {
    case 1:
        guard packet.count >= 12 else { return }
        packet[0] = 0x80 | (packet[0] & 0x3F)
        let ssrcs = pair.senderSSRCs
        if selector & 0x80 != 0, !ssrcs.isEmpty {
            let ssrc = ssrcs[Int(selector & 0x7F) % ssrcs.count]
            for byte in 0..<4 { packet[8 + byte] = UInt8(truncatingIfNeeded: ssrc >> UInt32(24 - 8 * byte)) }
        }
        guard (try? pair.sender.srtpOutbound?.protect(rtp: &packet)) != nil else { return }
    case 2:
        guard packet.count >= 8 else { return }
        packet[0] = 0x80 | (packet[0] & 0x3F)
        guard (try? pair.sender.srtpOutbound?.protectRTCP(&packet)) != nil else { return }
    default:
        break
    }
    pair.deliver(packet)
}

FuzzDriver.run(fuzzCoreReceive)
