import FuzzSupport
import RTPKit

/// The VP8 depacketizer and video jitter buffer (RFC 7741 payload
/// descriptors, reordering, loss waits, key-frame gating): the input is a
/// script of packets, each `sequence (2) timestamp (4) flags (1) length (2)
/// payload`, where bit 0 of the flags is the marker and the rest advance the
/// clock by that many milliseconds.
func fuzzVP8Depacketizer(_ bytes: UnsafeBufferPointer<UInt8>) {
    var reader = FuzzReader(bytes)
    var depacketizer = VP8Depacketizer(reorderTolerance: 8, capacity: 64)
    var now = ContinuousClock.Instant.now
    while !reader.isAtEnd {
        let sequenceNumber = reader.uint16()
        let timestamp = reader.uint32()
        let flags = reader.byte()
        let payload = reader.bytes(Int(reader.uint16() & 0x07FF))
        now += .milliseconds(Int(flags >> 1))
        depacketizer.push(
            payload: payload, sequenceNumber: sequenceNumber, timestamp: timestamp, marker: flags & 1 != 0,
            arrival: now, lossWait: .milliseconds(50))
        depacketizer.advance(to: now)
        while depacketizer.pollEvent() != nil {}
    }
}

FuzzDriver.run(fuzzVP8Depacketizer)
