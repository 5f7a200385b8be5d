import FuzzSupport
import SDPKit

/// ICE candidate lines (RFC 8839 `candidate:` attributes, as trickled in
/// signalling): parsing, and writing back what parsed.
func fuzzICECandidate(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let candidate = try? ICECandidate(parsing: text) else { return }
    _ = candidate.description
}

FuzzDriver.run(fuzzICECandidate)
