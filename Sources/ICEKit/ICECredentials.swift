/// An ICE username fragment and password (`a=ice-ufrag`, `a=ice-pwd`).
public struct ICECredentials: Hashable, Sendable {
    /// The username fragment (4 to 256 ice-chars).
    public var ufrag: String
    /// The password (22 to 256 ice-chars).
    public var pwd: String

    /// Credentials from their parts.
    public init(ufrag: String, pwd: String) {
        self.ufrag = ufrag
        self.pwd = pwd
    }

    /// The ice-char set of RFC 8839: letters, digits, `+` and `/`.
    public static let iceCharacters: [Character] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    /// Random credentials from `generator`: an 8-character ufrag and a
    /// 24-character password (144 bits), both of ice-chars.
    public static func random(using generator: inout some RandomNumberGenerator) -> ICECredentials {
        func text(_ count: Int) -> String {
            String((0..<count).map { _ in iceCharacters.randomElement(using: &generator)! })
        }
        return ICECredentials(ufrag: text(8), pwd: text(24))
    }

    /// Random credentials from the system's secure generator.
    public static func random() -> ICECredentials {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// Whether `text` is non-empty and made only of ice-chars.
    static func isICEString(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 256 && text.allSatisfy { iceCharacters.contains($0) }
    }
}
