import FuzzSupport
import RTPKit

/// The Opus depacketizer (RFC 7587): a script of packets, each `sequence (2)
/// timestamp (4) length (2) payload`.
func fuzzOpusDepacketizer(_ bytes: UnsafeBufferPointer<UInt8>) {
    var reader = FuzzReader(bytes)
    var depacketizer = OpusDepacketizer()
    while !reader.isAtEnd {
        let sequenceNumber = reader.uint16()
        let timestamp = reader.uint32()
        let payload = reader.bytes(Int(reader.uint16() & 0x07FF))
        depacketizer.push(payload: payload, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: false)
        while depacketizer.pollEvent() != nil {}
    }
}

FuzzDriver.run(fuzzOpusDepacketizer)
