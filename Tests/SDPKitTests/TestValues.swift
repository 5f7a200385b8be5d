import SDPKit

/// Local transport values shared by the builder tests.
enum TestValues {
    static let credentials = ICECredentials(ufrag: "Swft", pwd: "abcdefghijklmnopqrstuvwx")
    static let digest: [UInt8] = (0..<32).map { UInt8($0 * 7 & 0xFF) }
    static let fingerprint = Fingerprint(digest: digest)
    static let videoTrack = SendingTrack(streamID: "stream-1", trackID: "video-1", ssrc: 1111, cname: "swift-cname", rtxSSRC: 2222)
    static let audioTrack = SendingTrack(streamID: "stream-1", trackID: "audio-1", ssrc: 3333, cname: "swift-cname")

    /// The lines of a description's text, without line endings.
    static func lines(of description: SessionDescription) -> [String] {
        description.description.split(separator: "\r\n").map(String.init)
    }

    /// The lines of one media section's text.
    static func lines(of section: MediaSection) -> [String] {
        section.description.split(separator: "\r\n").map(String.init)
    }
}
