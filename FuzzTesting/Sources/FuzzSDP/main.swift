import FuzzSupport
import SDPKit

/// Session descriptions (RFC 8866 with the JSEP attributes WebRTC uses):
/// parsing from bytes, and writing back what parsed.
func fuzzSDP(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let description = try? SessionDescription(parsing: bytes) else { return }
    _ = description.serialized()
}

FuzzDriver.run(fuzzSDP)
