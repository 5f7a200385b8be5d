import COpus

/// Constants and helpers shared by the Opus encoder and decoder.
enum OpusCodec {
    /// Opus in WebRTC always runs at 48 kHz (RFC 7587).
    static let sampleRate = 48_000
    /// The longest packet duration Opus allows, 120 ms, in samples per channel.
    static let maximumSamplesPerChannel = 5_760

    /// libopus's text for an error code.
    static func describe(_ status: Int32) -> String {
        opus_strerror(status).map { String(cString: $0) } ?? "error \(status)"
    }
}
