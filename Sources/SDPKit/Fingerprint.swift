/// The `a=fingerprint` attribute (RFC 8122): a hash of the DTLS certificate,
/// such as `sha-256 8F:01:…:52`.
public struct Fingerprint: Sendable, Hashable, CustomStringConvertible {
    /// The hash function's name as written, such as `sha-256`.
    public var hashFunction: String
    /// The digest as written: uppercase hex byte pairs separated by colons.
    public var value: String

    /// Creates a fingerprint from its written form.
    public init(hashFunction: String, value: String) {
        self.hashFunction = hashFunction
        self.value = value
    }

    /// Creates a fingerprint from digest bytes, written as uppercase hex pairs
    /// joined by colons; the hash function defaults to `sha-256`.
    public init(hashFunction: String = "sha-256", digest: [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        var text = ""
        text.reserveCapacity(digest.count * 3)
        for (index, byte) in digest.enumerated() {
            if index > 0 { text.append(":") }
            text.append(Character(Unicode.Scalar(hex[Int(byte >> 4)])))
            text.append(Character(Unicode.Scalar(hex[Int(byte & 0x0F)])))
        }
        self.init(hashFunction: hashFunction, value: text)
    }

    /// Parses the attribute value, `<hash-func> <XX:XX:…>`.
    init(parsing text: Substring) throws(SDPError) {
        let words = TextScanning.words(text)
        guard words.count == 2, TextScanning.isToken(words[0]) else {
            throw SDPError(.invalidAttribute, "fingerprint needs <hash-function> <hex digest>")
        }
        self.init(hashFunction: String(words[0]), value: String(words[1]))
        guard digest != nil else {
            throw SDPError(.invalidAttribute, "fingerprint digest must be hex byte pairs separated by colons")
        }
    }

    /// The digest bytes, or nil when ``value`` is not colon-separated hex pairs.
    public var digest: [UInt8]? {
        var bytes: [UInt8] = []
        for pair in value.split(separator: ":", omittingEmptySubsequences: false) {
            guard pair.utf8.count == 2, pair.utf8.allSatisfy(\.isHexDigit), let byte = UInt8(pair, radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    /// Whether two fingerprints name the same hash function (case-insensitive)
    /// and the same digest bytes, whatever the hex letter case.
    public func matches(_ other: Fingerprint) -> Bool {
        hashFunction.lowercased() == other.hashFunction.lowercased() && digest != nil && digest == other.digest
    }

    /// The attribute value, `<hash-func> <digest>`.
    public var description: String { "\(hashFunction) \(value)" }
}
