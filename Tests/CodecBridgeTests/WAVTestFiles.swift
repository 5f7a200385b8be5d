/// Hand-built WAV files for the WAV tests: RIFF chunks assembled byte by byte,
/// so the tests do not depend on ``WAVWriter`` to make their inputs.
enum WAVTestFiles {
    /// `value` as 2 little-endian bytes.
    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }

    /// `value` as 4 little-endian bytes.
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// The 2 little-endian bytes at `offset` of `bytes`.
    static func uint16(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
    }

    /// The 4 little-endian bytes at `offset` of `bytes`.
    static func uint32(_ bytes: [UInt8], at offset: Int) -> Int {
        (0..<4).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }

    /// A chunk: its four-letter id, its little-endian size, its body, and a pad byte if the size is odd.
    static func chunk(_ id: String, _ body: [UInt8], declaredSize: UInt32? = nil) -> [UInt8] {
        Array(id.utf8) + le32(declaredSize ?? UInt32(body.count)) + body + (body.count % 2 == 1 ? [0] : [])
    }

    /// A whole file: the RIFF header (with the right size) around `chunks`.
    static func file(_ chunks: [UInt8]..., form: String = "WAVE", signature: String = "RIFF") -> [UInt8] {
        let body = Array(form.utf8) + chunks.flatMap { $0 }
        return Array(signature.utf8) + le32(UInt32(body.count)) + body
    }

    /// A 16-byte `fmt ` body; the block align and byte rate follow from the others unless given.
    static func formatBody(
        tag: UInt16 = 1, channels: UInt16 = 1, sampleRate: UInt32 = 8_000, blockAlign: UInt16? = nil, bits: UInt16 = 16
    ) -> [UInt8] {
        let align = blockAlign ?? channels * bits / 8
        return le16(tag) + le16(channels) + le32(sampleRate) + le32(sampleRate * UInt32(align)) + le16(align) + le16(bits)
    }

    /// The PCM subformat GUID of WAVE_FORMAT_EXTENSIBLE, as stored.
    static let pcmSubformat: [UInt8] = [
        0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
    ]

    /// The IEEE float subformat GUID of WAVE_FORMAT_EXTENSIBLE, as stored.
    static let floatSubformat: [UInt8] = [0x03, 0x00] + pcmSubformat.dropFirst(2)

    /// A 40-byte WAVE_FORMAT_EXTENSIBLE `fmt ` body of 16-bit samples.
    static func extensibleFormatBody(channels: UInt16, sampleRate: UInt32, subformat: [UInt8] = pcmSubformat) -> [UInt8] {
        let channelMask: UInt32 = channels == 2 ? 0x3 : 0x4
        return formatBody(tag: 0xFFFE, channels: channels, sampleRate: sampleRate)
            + le16(22) + le16(16) + le32(channelMask) + subformat
    }

    /// Samples as little-endian bytes.
    static func pcm(_ samples: [Int16]) -> [UInt8] {
        samples.flatMap { le16(UInt16(bitPattern: $0)) }
    }

    /// Distinct, deterministic samples: no two neighbours equal, both signs.
    static func ramp(count: Int) -> [Int16] {
        (0..<count).map { Int16(truncatingIfNeeded: $0 &* 28_403) }
    }
}
