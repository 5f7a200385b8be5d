import Foundation

/// What receiver.html publishes in `window.receiverStats` (from `getStats()`).
struct ReceiverPageStats: Decodable, Sendable {
    var framesDecoded: Int
    var width: Int
    var height: Int
    var codec: String
    var connectionState: String
    /// NACKs the page sent, packets it received again, PLIs, and its video freezes (W3C `inbound-rtp`).
    var nackCount: Int?
    var retransmittedPacketsReceived: Int?
    var pliCount: Int?
    var freezeCount: Int?
    var totalFreezesDuration: Double?

    /// Reads the statistics from the receiver page, `nil` before any video arrived.
    static func read(from page: String, devTools: DevToolsConnection) async throws -> ReceiverPageStats? {
        guard let json = try await devTools.evaluateString("JSON.stringify(window.receiverStats)", in: page) else { return nil }
        return try? JSONDecoder().decode(ReceiverPageStats.self, from: Data(json.utf8))
    }
}

/// What receiver.html publishes in `window.receiverAudioStats` (from `getStats()`).
struct ReceiverPageAudioStats: Decodable, Sendable {
    var packetsReceived: Int
    var totalSamplesReceived: Int
    var concealedSamples: Int
    var codec: String

    /// Reads the audio statistics from the receiver page, `nil` before any audio arrived.
    static func read(from page: String, devTools: DevToolsConnection) async throws -> ReceiverPageAudioStats? {
        guard let json = try await devTools.evaluateString("JSON.stringify(window.receiverAudioStats)", in: page) else { return nil }
        return try? JSONDecoder().decode(ReceiverPageAudioStats.self, from: Data(json.utf8))
    }
}
