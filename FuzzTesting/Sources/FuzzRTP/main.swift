import FuzzSupport
import RTPKit

/// RTP packets (RFC 3550, header extensions of RFC 8285): the array and the
/// raw-buffer parsers, the header-extension lookups, and serialization back.
func fuzzRTP(_ bytes: UnsafeBufferPointer<UInt8>) {
    _ = try? RTPHeader(parsing: UnsafeRawBufferPointer(bytes))
    guard let packet = try? RTPPacket(parsing: UnsafeRawBufferPointer(bytes)) else { return }
    for id in UInt8(0)...15 { _ = packet.extensionElement(id: id) }
    _ = packet.headerExtension?.dataOffset(id: 1)
    _ = packet.serialized()
}

FuzzDriver.run(fuzzRTP)
