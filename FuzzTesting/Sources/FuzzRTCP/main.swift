import FuzzSupport
import RTPKit

/// RTCP compound packets (RFC 3550 reports, RFC 4585 and RFC 5104 feedback,
/// transport-wide feedback and REMB): parsing, reading what each packet
/// carries as the core does, and serialization back.
func fuzzRTCP(_ bytes: UnsafeBufferPointer<UInt8>) {
    let bytes = UnsafeRawBufferPointer(bytes)
    guard let compound = try? RTCPCompoundPacket(parsing: bytes) else { return }
    _ = compound.isReducedSize
    for packet in compound.packets {
        switch packet {
        case .transportWideFeedback(let feedback):
            _ = feedback.arrivals
        case .genericNACK(let nack):
            for entry in nack.entries { _ = entry.lostSequenceNumbers }
        default:
            break
        }
        _ = packet.serialized()
    }
    _ = compound.serialized()
}

FuzzDriver.run(fuzzRTCP)
