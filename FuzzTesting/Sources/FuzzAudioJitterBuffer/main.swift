import FuzzSupport
import RTPKit

/// The audio jitter buffer: a script of steps. Each step is `kind (1)` then,
/// for an even kind, a packet `timestamp (4) length (1) payload` arriving
/// `kind >> 1` milliseconds after the last step; for an odd kind, a playout
/// turn `kind >> 1` milliseconds later that takes the buffer's decision and
/// advances by 20 ms of media.
func fuzzAudioJitterBuffer(_ bytes: UnsafeBufferPointer<UInt8>) {
    var reader = FuzzReader(bytes)
    var buffer = AudioJitterBuffer(configuration: .init(capacity: 32))
    var now = ContinuousClock.Instant.now
    while !reader.isAtEnd {
        let kind = reader.byte()
        now += .milliseconds(Int(kind >> 1))
        if kind & 1 == 0 {
            let timestamp = reader.uint32()
            let payload = reader.bytes(Int(reader.byte()))
            _ = buffer.insert(payload: payload, timestamp: timestamp, arrival: now)
        } else if let decision = buffer.nextDecision(at: now) {
            var concealed = true
            if case .play = decision.action { concealed = false }
            buffer.advance(by: 960, concealed: concealed)
        }
    }
}

FuzzDriver.run(fuzzAudioJitterBuffer)
