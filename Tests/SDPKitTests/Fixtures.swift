import Foundation
import Testing

/// Loads the files in `Fixtures/` (see Fixtures/README.md for where each comes from).
enum Fixture {
    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String { "fixture \(name) is not in the test bundle" }
    }

    /// Every SDP fixture: Chromium's, the hand-written Firefox-style offer and the RFC example.
    static let sdpFiles = [
        "chromium-offer-sendrecv-audio-video.sdp",
        "chromium-answer-recvonly.sdp",
        "chromium-offer-sendonly-video.sdp",
        "chromium-offer-datachannel.sdp",
        "chromium-answer-rejected-audio.sdp",
        "chromium-offer-transceivers-mdns-mode.sdp",
        "chromium-answer-to-sdpkit-offer.sdp",
        "handwritten-firefox-style-offer.sdp",
        "rfc8866-section5-example.sdp",
    ]

    /// The text of a fixture file, byte for byte.
    static func text(_ name: String) throws -> String {
        guard let dot = name.lastIndex(of: ".") else { throw Missing(name: name) }
        let base = String(name[..<dot])
        let ext = String(name[name.index(after: dot)...])
        guard let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: "Fixtures") else {
            throw Missing(name: name)
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The non-empty lines of a text fixture.
    static func lines(_ name: String) throws -> [String] {
        try text(name).split(separator: "\n").map { String($0) }.filter { !$0.isEmpty }
    }
}
