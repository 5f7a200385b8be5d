import SDPKit
import Testing

/// Offers that are not Chromium's: other mids, payload types and spellings,
/// `a=bundle-only`, `a=rtcp-mux-only`, data channels. Each answer must keep
/// the offer's m-lines in order, accept what it can, and give every section
/// (rejected ones too) what a strict peer checks.
@Suite("JSEP answers to offers from any peer")
struct AnswerToAnyOfferTests {
    /// One handwritten m-section of a test offer.
    struct Section {
        var kind: String
        var mid: String
        var formats: String
        var codecLines: [String]
        var port = 9
        var extra: [String] = []
        var proto = "UDP/TLS/RTP/SAVPF"
        var rtcpMux = true
    }

    static func offer(_ sections: [Section], bundle: Bool = true) throws -> SessionDescription {
        var lines = ["v=0", "o=- 42 1 IN IP4 0.0.0.0", "s=-", "t=0 0"]
        if bundle { lines.append("a=group:BUNDLE " + sections.map(\.mid).joined(separator: " ")) }
        for section in sections {
            lines.append("m=\(section.kind) \(section.port) \(section.proto) \(section.formats)")
            lines.append("c=IN IP4 0.0.0.0")
            lines += [
                "a=ice-ufrag:Othr", "a=ice-pwd:zyxwvutsrqponmlkjihgfedc",
                "a=fingerprint:sha-256 " + (0..<32).map { _ in "AB" }.joined(separator: ":"), "a=setup:actpass",
                "a=mid:\(section.mid)", "a=sendrecv",
            ]
            if section.proto.contains("RTP"), section.rtcpMux { lines.append("a=rtcp-mux") }
            lines += section.extra + section.codecLines
        }
        return try SessionDescription(parsing: lines.joined(separator: "\r\n") + "\r\n")
    }

    static let audio = Section(kind: "audio", mid: "audio1", formats: "109", codecLines: ["a=rtpmap:109 OPUS/48000/2"])
    static let video = Section(kind: "video", mid: "video0", formats: "120", codecLines: ["a=rtpmap:120 VP8/90000"])
    static let data = Section(kind: "application", mid: "data2", formats: "webrtc-datachannel", codecLines: ["a=sctp-port:5000"], proto: "UDP/DTLS/SCTP")

    static func options(mids: [String: MediaCapabilities] = [:], audio: MediaCapabilities? = nil, video: MediaCapabilities? = nil) -> AnswerOptions {
        var options = AnswerOptions(
            iceCredentials: TestValues.credentials, fingerprint: TestValues.fingerprint, audio: audio, video: video)
        options.capabilitiesByMid = mids
        return options
    }

    static let receiveAudio = MediaCapabilities(codecs: [.opus()], direction: .recvonly)
    static let receiveVideo = MediaCapabilities(codecs: [.vp8()], direction: .recvonly)

    /// Every section carries a mid, the ICE credentials, the fingerprint and a setup role.
    static func expectStrictlyValid(_ answer: SessionDescription, mids: [String]) {
        #expect(answer.mediaSections.map(\.mid) == mids)
        for section in answer.mediaSections {
            #expect(answer.iceCredentials(for: section) == TestValues.credentials, "section \(section.mid ?? "?") has ICE credentials")
            #expect(answer.fingerprints(for: section) == [TestValues.fingerprint], "section \(section.mid ?? "?") has the fingerprint")
            #expect(answer.setup(for: section) == .active, "section \(section.mid ?? "?") has a=setup")
        }
    }

    @Test("an audio-only offer with mid audio1 and upper-case OPUS is accepted with the offer's payload type")
    func audioOnly() throws {
        let offer = try Self.offer([Self.audio])
        let answer = try JSEP.createAnswer(to: offer, options: Self.options(audio: Self.receiveAudio))
        Self.expectStrictlyValid(answer, mids: ["audio1"])
        #expect(answer.mediaSections[0].payloadTypes == [109])
        #expect(answer.mediaSections[0].direction == .recvonly)
        #expect(answer.bundleGroup == ["audio1"])
    }

    @Test("a video-only offer with mid video0 and payload type 120 is accepted")
    func videoOnly() throws {
        let offer = try Self.offer([Self.video])
        let answer = try JSEP.createAnswer(to: offer, options: Self.options(video: Self.receiveVideo))
        Self.expectStrictlyValid(answer, mids: ["video0"])
        #expect(answer.mediaSections[0].payloadTypes == [120])
        #expect(answer.bundleGroup == ["video0"])
    }

    @Test("audio, video and a data channel: the data channel is rejected cleanly and left out of BUNDLE")
    func audioVideoData() throws {
        let offer = try Self.offer([Self.video, Self.audio, Self.data])
        let answer = try JSEP.createAnswer(
            to: offer, options: Self.options(audio: Self.receiveAudio, video: Self.receiveVideo))
        Self.expectStrictlyValid(answer, mids: ["video0", "audio1", "data2"])
        #expect(answer.mediaSections.map(\.port) == [9, 9, 0])
        #expect(TestValues.lines(of: answer.mediaSections[2]).first == "m=application 0 UDP/DTLS/SCTP webrtc-datachannel")
        #expect(answer.bundleGroup == ["video0", "audio1"])
        #expect(try SessionDescription(parsing: answer.description) == answer)
    }

    @Test("a bundle-only section with port 0 is accepted, and a=rtcp-mux-only alone counts as rtcp-mux")
    func bundleOnly() throws {
        var audio = Self.audio
        audio.port = 0
        audio.extra = ["a=bundle-only", "a=rtcp-mux-only"]
        audio.rtcpMux = false
        let offer = try Self.offer([Self.video, audio])
        let answer = try JSEP.createAnswer(
            to: offer, options: Self.options(audio: Self.receiveAudio, video: Self.receiveVideo))
        Self.expectStrictlyValid(answer, mids: ["video0", "audio1"])
        #expect(!answer.mediaSections[1].isRejected)
        #expect(answer.mediaSections[1].port == 9)
        #expect(answer.bundleGroup == ["video0", "audio1"])
    }

    @Test("per-mid capabilities answer two video sections with a different sending track each")
    func capabilitiesByMid() throws {
        var second = Self.video
        second.mid = "v2"
        let offer = try Self.offer([Self.video, second, Self.audio])
        let first = SendingTrack(streamID: "s", trackID: "t1", ssrc: 11, cname: "c")
        let other = SendingTrack(streamID: "s", trackID: "t2", ssrc: 22, cname: "c")
        let answer = try JSEP.createAnswer(to: offer, options: Self.options(mids: [
            "video0": MediaCapabilities(codecs: [.vp8()], direction: .sendrecv, sendingTrack: first),
            "v2": MediaCapabilities(codecs: [.vp8()], direction: .sendonly, sendingTrack: other),
        ]))
        Self.expectStrictlyValid(answer, mids: ["video0", "v2", "audio1"])
        #expect(answer.mediaSections[0].ssrcs == [11])
        #expect(answer.mediaSections[1].ssrcs == [22])
        #expect(answer.mediaSections[1].direction == .sendonly)
        // No capability for the audio mid and none for audio at all: rejected.
        #expect(answer.mediaSections[2].isRejected)
        #expect(answer.mediaSections[2].direction == .inactive)
        #expect(answer.bundleGroup == ["video0", "v2"])
    }
}
