/// Small parsing helpers shared by the line and attribute parsers.
enum TextScanning {
    /// Parses an unsigned decimal number made of ASCII digits only (no sign,
    /// no spaces), or returns nil when it is not one or does not fit.
    static func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ text: Substring, as type: T.Type = T.self) -> T? {
        guard !text.isEmpty, text.utf8.count <= 20 else { return nil }
        var value: T = 0
        for byte in text.utf8 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(T(byte - 0x30))
            guard !overflow1, !overflow2 else { return nil }
            value = sum
        }
        return value
    }

    /// `unsigned` for a whole `String`.
    static func unsigned<T: FixedWidthInteger & UnsignedInteger>(_ text: String, as type: T.Type = T.self) -> T? {
        unsigned(text[...], as: type)
    }

    /// An RTP payload type: a number from 0 to 127.
    static func payloadType(_ text: Substring) -> UInt8? {
        guard let value = unsigned(text, as: UInt8.self), value <= 127 else { return nil }
        return value
    }

    /// Splits on single spaces, keeping empty fields (so doubled spaces show up as "").
    static func fields(_ text: Substring) -> [Substring] {
        text.split(separator: " ", omittingEmptySubsequences: false)
    }

    /// Splits on runs of spaces and tabs, dropping empty fields.
    static func words(_ text: Substring) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// Whether the text is a non-empty token without spaces or control characters.
    static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 != 0x7F }
    }

    /// Whether the text holds only RFC 8839 `ice-char`s (ALPHA / DIGIT / "+" / "/").
    static func isICEChars(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2B || byte == 0x2F
        }
    }
}

extension UInt8 {
    /// Whether this byte is an ASCII hex digit.
    var isHexDigit: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x41 && self <= 0x46) || (self >= 0x61 && self <= 0x66)
    }
}
