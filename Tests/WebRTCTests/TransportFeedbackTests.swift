import Foundation
import RTPKit
import Synchronization
import Testing
import TestSupport
import WebRTC

/// Transport-wide congestion control feedback between two cores on the
/// simulated network: the extension in SDP, on every packet, and the
/// feedback that comes back and drives the sender's estimate.
@Suite("Transport-wide feedback on a simulated call")
struct TransportFeedbackTests {
    static let uri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"

    /// A call with audio and video from the offerer, connected; every RTP
    /// packet the offerer sends is handed to `capture` on its way.
    static func connected(
        editingOffer: (String) -> String = { $0 }, answererSends: [TrackKind] = [],
        capture: (@Sendable ([UInt8]) -> Void)? = nil
    ) throws -> SimulatedCall {
        var call = try SimulatedCall(seed: 5, offererSends: [.audio, .video], answererSends: answererSends)
        if let capture {
            // Only the offerer sends RTP here; RTCP (packet types 192-223) is left out.
            call.network.discards = { bytes in
                if (128...191).contains(bytes.first ?? 0), bytes.count > 1, !(192...223).contains(bytes[1]) { capture(bytes) }
                return false
            }
        }
        try call.negotiate(editingOffer: editingOffer)
        try call.run(for: .seconds(10)) { $0.bothConnected }
        guard call.bothConnected else { throw DeadlineExceeded(what: "the call to connect") }
        return call
    }

    @Test("the offer carries the transport-wide sequence number extension and transport-cc feedback on every m-section, and the answer keeps them")
    func negotiated() throws {
        let offerer = PeerConnectionCore(configuration: .init(certificate: try .init()))
        _ = offerer.addTrack(kind: .audio)
        _ = offerer.addTrack(kind: .video)
        let offer = try offerer.createOffer()
        let sections = offer.sdp.components(separatedBy: "\r\nm=").dropFirst()
        #expect(sections.count == 2)
        for section in sections {
            #expect(section.contains("a=extmap:3 \(Self.uri)\r\n"), "one id for the whole BUNDLE transport")
            let payloadType = try #require(section.split(separator: " ").dropFirst(3).first).prefix { $0.isNumber }
            #expect(section.contains("a=rtcp-fb:\(payloadType) transport-cc\r\n"))
        }
        let answerer = PeerConnectionCore(configuration: .init(certificate: try .init()))
        try answerer.setRemoteDescription(offer, at: .now)
        let answer = try answerer.createAnswer()
        #expect(answer.sdp.components(separatedBy: "a=extmap:3 \(Self.uri)\r\n").count == 3)
        #expect(answer.sdp.components(separatedBy: " transport-cc\r\n").count >= 3)
    }

    @Test("every RTP packet of an audio and video call carries a transport-wide sequence number from one counter across both streams, in steps of one")
    func everyPacketNumbered() throws {
        let captured = Mutex<[[UInt8]]>([])
        var call = try Self.connected(capture: { bytes in captured.withLock { $0.append(bytes) } })
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        let packets = captured.withLock { $0 }
        var numbers: [UInt16] = []
        var mediaSSRCs = Set<UInt32>()
        var paddingSSRCs = Set<UInt32>()
        for var packet in packets {
            // SRTP encrypts the padding and its count: parse the header (in the clear) alone.
            let padded = packet[0] & 0x20 != 0
            packet[0] &= ~0x20
            let header = try RTPHeader(parsing: packet)
            let found = header.extensionElementRange(id: 3, in: packet)
            let range = try #require(found, "every packet has a transport-wide sequence number")
            #expect(range.count == 2)
            numbers.append(UInt16(packet[range.lowerBound]) << 8 | UInt16(packet[range.lowerBound + 1]))
            if padded { paddingSSRCs.insert(header.ssrc) } else { mediaSSRCs.insert(header.ssrc) }
        }
        #expect(packets.count > 100)
        #expect(mediaSSRCs.count == 2, "audio and video")
        #expect(paddingSSRCs.count <= 1 && paddingSSRCs.isDisjoint(with: mediaSSRCs), "probe padding goes on the RTX stream alone")
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
    }

    @Test("the receiver sends feedback about every 50 ms while media flows, and the sender's acknowledged bitrate matches what it sent within 15%")
    func feedbackDrivesTheEstimate() throws {
        var call = try Self.connected()
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        let start = call.offerer.statistics
        try SimulatedMedia.run(&call, for: .seconds(3), sending: &media)
        let receiver = call.answerer.bandwidthEstimate
        let sender = call.offerer.bandwidthEstimate
        #expect((45...75).contains(receiver.feedbackSent), "\(receiver.feedbackSent) feedback packets in 3 s")
        #expect(sender.feedbackReceived >= receiver.feedbackSent - 2)
        let sentBits = Double(call.offerer.statistics.bytesSent - start.bytesSent) * 8
        let sentRate = sentBits / 3
        let acknowledged = try #require(sender.acknowledgedBitrate)
        #expect(abs(acknowledged - sentRate) / sentRate < 0.15, "acknowledged \(acknowledged) against \(sentRate) sent (RTP)")
        #expect(sender.usage == .normal)
        #expect(sender.lossFraction == 0)
        #expect(sender.targetBitrate > 300_000, "the estimate grew from its start on a clean path: \(sender.targetBitrate)")
        #expect(call.offerer.statistics.bandwidth == sender)
    }

    @Test("an offer that names the extension with another id is answered and used with that id in both directions")
    func otherPeersID() throws {
        var call = try Self.connected(
            editingOffer: { $0.replacingOccurrences(of: "a=extmap:3 \(Self.uri)", with: "a=extmap:7 \(Self.uri)") },
            answererSends: [.video])
        var media = [try SimulatedMedia(.offerer, startingAt: call.now), try SimulatedMedia(.answerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        #expect(call.answerer.bandwidthEstimate.feedbackSent > 10)
        #expect(call.offerer.bandwidthEstimate.feedbackSent > 10)
        #expect(call.offerer.bandwidthEstimate.feedbackReceived > 10)
        #expect(call.answerer.bandwidthEstimate.feedbackReceived > 10)
    }

    @Test("a peer that does not offer the extension gets no numbered packets and sends no feedback; the estimate stays at its start")
    func withoutTheExtension() throws {
        let captured = Mutex<[[UInt8]]>([])
        var call = try Self.connected(
            editingOffer: { sdp in
                sdp.components(separatedBy: "\r\n").filter { !$0.contains(Self.uri) && !$0.hasSuffix(" transport-cc") }
                    .joined(separator: "\r\n")
            },
            capture: { bytes in captured.withLock { $0.append(bytes) } })
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        #expect(call.answerer.bandwidthEstimate.feedbackSent == 0)
        #expect(call.offerer.bandwidthEstimate.feedbackReceived == 0)
        #expect(call.offerer.bandwidthEstimate.targetBitrate == 300_000)
        let packets = captured.withLock { $0 }
        #expect(!packets.isEmpty)
        for packet in packets {
            let header = try RTPHeader(parsing: packet)
            #expect(header.extensionElementRange(id: 3, in: packet) == nil)
        }
    }
}
