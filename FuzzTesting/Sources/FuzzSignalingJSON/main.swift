import FuzzSupport
import SignalingCore

/// Signalling messages as they arrive on the WebSocket: the strict JSON check
/// and the decoder behind it, and encoding back what decoded.
func fuzzSignalingJSON(_ bytes: UnsafeBufferPointer<UInt8>) {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let message = try? SignalingMessage(json: text) else { return }
    _ = message.jsonText()
}

FuzzDriver.run(fuzzSignalingJSON)
