import CodecBridge
import Testing
import TestSupport
import WebRTC

/// Calls with several tracks on the simulated network: audio and video both
/// ways, lip sync, renegotiation, and the limits a remote peer cannot push
/// past. Real ICE, DTLS, SRTP, VP8 and Opus on virtual time.
@Suite("Audio and video calls on a simulated network")
struct AudioVideoCallTests {
    static func connected(
        _ conditions: SimulatedLinkConditions = SimulatedLinkConditions(), seed: UInt64 = 3,
        offererSends: [TrackKind], answererSends: [TrackKind] = [], answererConfiguration: ((inout PeerConnectionCore.Configuration) -> Void)? = nil
    ) throws -> SimulatedCall {
        var call = try SimulatedCall(conditions: conditions, seed: seed, offererSends: offererSends, answererSends: answererSends)
        if let answererConfiguration {
            var configuration = PeerConnectionCore.Configuration(certificate: try .init())
            answererConfiguration(&configuration)
            call = try SimulatedCall(
                conditions: conditions, seed: seed, offererSends: offererSends, answererSends: answererSends, answerer: configuration)
        }
        try call.negotiate()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        guard call.bothConnected else { throw DeadlineExceeded(what: "the call to connect") }
        return call
    }

    /// The frame numbers drawn in the decoded video frames.
    static func frameNumbers(_ frames: [ReceivedFrame]) throws -> [Int] {
        try SimulatedCallTests.decodedFrameNumbers(frames.filter { $0.kind == .video })
    }

    /// The PCM of the audio frames, decoded with Opus.
    static func decodedAudio(_ frames: [ReceivedFrame]) throws -> [Int16] {
        let decoder = try OpusDecoder(channelCount: 1)
        return try frames.filter { $0.kind == .audio }.flatMap { try decoder.decode($0.data) }
    }

    static func remoteTracks(_ events: [PeerConnectionCore.Event]) -> [RemoteTrackInfo] {
        events.compactMap { if case .remoteTrack(let info) = $0 { info } else { nil } }
    }

    @Test("audio and video flow both ways: each side decodes the other's test pattern in order and hears the other's tone")
    func bothTracksBothWays() throws {
        var call = try Self.connected(offererSends: [.audio, .video], answererSends: [.audio, .video])
        #expect(call.offerer.transceivers.map(\.currentDirection) == [.sendrecv, .sendrecv])
        #expect(call.answerer.transceivers.map(\.currentDirection) == [.sendrecv, .sendrecv])
        #expect(Set(Self.remoteTracks(call.offererEvents).map(\.kind)) == [.audio, .video])
        #expect(Set(Self.remoteTracks(call.answererEvents).map(\.kind)) == [.audio, .video])

        var media = [try SimulatedMedia(.offerer, startingAt: call.now, toneFrequency: 440),
                     try SimulatedMedia(.answerer, startingAt: call.now, toneFrequency: 660)]
        try SimulatedMedia.run(&call, for: .seconds(2), sending: &media)
        try call.run(for: .milliseconds(200))

        for (received, tone, other) in [(call.receivedByAnswerer, 440.0, 660.0), (call.receivedByOfferer, 660.0, 440.0)] {
            let numbers = try Self.frameNumbers(received)
            #expect(numbers.count >= 58, "\(numbers.count) of 60 video frames decoded")
            #expect(numbers == numbers.sorted())
            let audio = received.filter { $0.kind == .audio }
            #expect(audio.count >= 98, "\(audio.count) of 100 audio packets")
            #expect(audio.allSatisfy { $0.audioLevel == 30 }, "the audio level extension carries the sender's level")
            let pcm = Array(try Self.decodedAudio(received).suffix(48_000))
            #expect(Goertzel.power(pcm, at: tone) > 20 * Goertzel.power(pcm, at: other), "the \(tone) Hz tone, not the \(other) Hz one")
        }
        #expect(call.offerer.statistics.inbound.count == 2 && call.offerer.statistics.outbound.count == 2)
        #expect(call.answerer.statistics.packetsLost == 0)
    }

    @Test("with 30 ms ± 15 ms jitter the reported audio/video offset, and the wait lip sync gives video, are within 20 ms of the truth", arguments: [0, 60])
    func lipSyncOffset(audioLagMilliseconds: Int) throws {
        let jittery = SimulatedLinkConditions(delay: .milliseconds(30), jitter: .milliseconds(15))
        var call = try Self.connected(jittery, seed: 9, offererSends: [.audio, .video])
        var sender = try SimulatedMedia(.offerer, startingAt: call.now)
        // Audio stamped as captured this long before it is sent arrives that
        // much later than video of the same instant: video leads by the lag.
        sender.audioLag = .milliseconds(audioLagMilliseconds)
        var media = [sender]
        try SimulatedMedia.run(&call, for: .seconds(5), sending: &media)
        let offset = try #require(call.answerer.statistics.audioVideoOffset, "both kinds arrived with sender reports")
        let truth = Duration.milliseconds(-audioLagMilliseconds)
        print("measured: audio/video offset \(offset) with audio lagging \(audioLagMilliseconds) ms")
        let error = offset > truth ? offset - truth : truth - offset
        #expect(error <= .milliseconds(20), "measured \(offset), truth \(truth)")
        #expect(call.receivedByAnswerer.filter { $0.kind == .audio }.last?.captureTime != nil, "frames carry their capture time")
        // Lip sync: the kind that arrives early is told to wait for the other.
        let videoWait = try #require(call.receivedByAnswerer.last { $0.kind == .video }).syncDelay
        let audioWait = try #require(call.receivedByAnswerer.last { $0.kind == .audio }).syncDelay
        let expectedVideoWait = Duration.milliseconds(audioLagMilliseconds)
        let waitError = videoWait > expectedVideoWait ? videoWait - expectedVideoWait : expectedVideoWait - videoWait
        #expect(waitError <= .milliseconds(20), "video waits \(videoWait) for audio that lags \(audioLagMilliseconds) ms")
        #expect(audioLagMilliseconds == 0 || audioWait == .zero, "audio, the late kind, does not wait")
    }

    @Test("lip sync counts the audio jitter buffer's delay: video waits for it too, and audio waits only for what video lags beyond it", arguments: [
        (audioLag: 0, bufferDelay: 40, videoWait: 40, audioWait: 0),
        (audioLag: 60, bufferDelay: 40, videoWait: 100, audioWait: 0),
        (audioLag: -80, bufferDelay: 20, videoWait: 0, audioWait: 60),
    ])
    func lipSyncCountsTheAudioBuffer(audioLag: Int, bufferDelay: Int, videoWait: Int, audioWait: Int) throws {
        let jittery = SimulatedLinkConditions(delay: .milliseconds(30), jitter: .milliseconds(15))
        var call = try Self.connected(jittery, seed: 10, offererSends: [.audio, .video])
        call.answerer.setAudioPlayoutDelay(.milliseconds(bufferDelay))
        var sender = try SimulatedMedia(.offerer, startingAt: call.now)
        sender.audioLag = .milliseconds(audioLag)
        var media = [sender]
        try SimulatedMedia.run(&call, for: .seconds(5), sending: &media)
        let video = try #require(call.receivedByAnswerer.last { $0.kind == .video }).syncDelay
        let audio = try #require(call.receivedByAnswerer.last { $0.kind == .audio }).syncDelay
        func near(_ measured: Duration, _ milliseconds: Int) -> Bool {
            let expected = Duration.milliseconds(milliseconds)
            return (measured > expected ? measured - expected : expected - measured) <= .milliseconds(20)
        }
        #expect(near(video, videoWait), "video waits \(video)")
        #expect(near(audio, audioWait), "audio waits \(audio)")
        #expect(videoWait == 0 || audio == .zero, "only one kind waits")
        #expect(audioWait == 0 || video == .zero, "only one kind waits")
    }

    @Test("a video track added during an audio call is offered again (negotiationNeeded) and flows without restarting the transport")
    func renegotiationAddsATrack() throws {
        var call = try Self.connected(offererSends: [.audio])
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        let audioBefore = call.receivedByAnswerer.filter { $0.kind == .audio }.count
        #expect(audioBefore >= 45)

        call.offererEvents.removeAll()
        call.answererEvents.removeAll()
        call.offererTracks[.video] = call.offerer.addTrack(kind: .video)
        try call.pump()
        #expect(call.offererEvents.contains { if case .negotiationNeeded = $0 { true } else { false } })
        try call.negotiate()
        #expect(call.offerer.transceivers.map(\.mid) == ["0", "1"])
        #expect(Self.remoteTracks(call.answererEvents).map(\.kind) == [.video], "the answerer is told of the new track only")

        media[0].nextVideo = call.now
        try SimulatedMedia.run(&call, for: .seconds(1.5), sending: &media)
        #expect(call.bothConnected)
        #expect(!call.offererEvents.contains { if case .connectionStateChanged = $0 { true } else { false } }, "the transport never restarted")
        let numbers = try Self.frameNumbers(call.receivedByAnswerer)
        #expect(numbers.count >= 40 && numbers == numbers.sorted(), "\(numbers.count) frames of the new video track decoded")
        #expect(call.receivedByAnswerer.filter { $0.kind == .audio }.count >= audioBefore + 70, "audio kept flowing")
    }

    @Test("a renegotiation offer that cannot be applied throws a typed error and leaves the call as it was")
    func inapplicableRenegotiation() throws {
        var call = try Self.connected(offererSends: [.audio, .video])
        let offer = try call.offerer.createOffer()
        let before = call.answerer.transceivers
        let broken: [(String, String)] = [
            ("a changed fingerprint", SimulatedCall.replacingFingerprint(in: offer.sdp)),
            ("swapped mids", offer.sdp.replacingOccurrences(of: "a=mid:0", with: "a=mid:9")),
            ("not SDP at all", "v=0\r\nthis is not sdp\r\n"),
        ]
        for (what, sdp) in broken {
            #expect(throws: PeerConnectionError.self, "\(what)") {
                try call.answerer.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: sdp), at: call.now)
            }
            #expect(call.answerer.signalingState == .stable, "\(what) left the state stable")
            #expect(call.answerer.transceivers == before, "\(what) left the transceivers as they were")
        }
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        #expect(try Self.frameNumbers(call.receivedByAnswerer).count >= 28, "video still flows")
    }

    @Test("PLIs sent every 10 ms lead to at most one key-frame request per 200 ms at the sender")
    func keyFrameRequestsAreRateLimited() throws {
        var call = try Self.connected(offererSends: [.video]) { $0.pictureLossIndicationInterval = .zero }
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .milliseconds(300), sending: &media)
        let mid = try #require(call.answerer.transceivers.first?.mid)
        var requests = 0
        for _ in 0..<100 {  // one second
            call.answerer.requestKeyFrame(mid: mid, at: call.now)
            try call.pump()
            requests += SimulatedCall.takeKeyFrameRequests(&call.offererEvents)
            try call.run(for: .milliseconds(10))
        }
        requests += SimulatedCall.takeKeyFrameRequests(&call.offererEvents)
        let outbound = try #require(call.offerer.statistics.outbound(.video))
        #expect(outbound.pliCount >= 50, "the PLIs arrived (\(outbound.pliCount))")
        print("measured: \(outbound.pliCount) PLIs, \(requests) key-frame requests let through")
        #expect(requests >= 4 && requests <= 6, "\(requests) key-frame requests let through in one second")
        #expect(outbound.keyFrameRequestsThrottled >= outbound.pliCount - 6)
    }

    @Test("an answer without a=setup makes the offerer the DTLS server (RFC 4145), and the call connects")
    func answerWithoutSetup() throws {
        var call = try SimulatedCall(offererSends: [.video])
        let offer = try call.offerer.createOffer()
        try call.offerer.setLocalDescription(offer, at: call.now)
        try call.answerer.setRemoteDescription(offer, at: call.now)
        let answer = try call.answerer.createAnswer()
        try call.answerer.setLocalDescription(answer, at: call.now)
        #expect(answer.sdp.contains("a=setup:active"))
        let withoutSetup = answer.sdp.split(separator: "\r\n").filter { !$0.hasPrefix("a=setup:") }.joined(separator: "\r\n") + "\r\n"
        try call.offerer.setRemoteDescription(RTCSessionDescription(type: .answer, sdp: withoutSetup), at: call.now)
        try call.pump()
        try call.run(for: .seconds(10)) { $0.bothConnected }
        #expect(call.bothConnected)
    }

    @Test("setting a transceiver inactive and renegotiating ends the remote track, and its frames stop")
    func renegotiationStopsATrack() throws {
        var call = try Self.connected(offererSends: [.audio, .video])
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .milliseconds(500), sending: &media)
        call.answererEvents.removeAll()
        try call.offerer.setDirection(.inactive, ofTransceiver: call.offererTracks[.video]!)
        try call.negotiate()
        #expect(call.answererEvents.contains { if case .remoteTrackEnded(let mid) = $0 { mid == "1" } else { false } })
        // The answerer sends nothing, so the audio stays send-only from the offerer's side.
        #expect(call.offerer.transceivers.map(\.currentDirection) == [.sendonly, .inactive])
        let videoBefore = call.receivedByAnswerer.filter { $0.kind == .video }.count
        let audioBefore = call.receivedByAnswerer.filter { $0.kind == .audio }.count
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        #expect(call.receivedByAnswerer.filter { $0.kind == .video }.count == videoBefore, "no video after it was set inactive")
        #expect(call.receivedByAnswerer.filter { $0.kind == .audio }.count >= audioBefore + 45, "audio goes on")
    }

    @Test("an offer with mids video0/audio1, payload types 120/109, upper-case OPUS and a data channel is answered with those values")
    func answersAnOfferInAnotherPeersDialect() throws {
        let offerer = PeerConnectionCore(configuration: .init(certificate: try .init()))
        offerer.addTrack(kind: .video)
        offerer.addTrack(kind: .audio)
        var sdp = try offerer.createOffer().sdp
        for (from, to) in [
            ("a=group:BUNDLE 0 1", "a=group:BUNDLE video0 audio1 data2"), ("a=mid:0", "a=mid:video0"), ("a=mid:1", "a=mid:audio1"),
            ("m=video 9 UDP/TLS/RTP/SAVPF 96", "m=video 9 UDP/TLS/RTP/SAVPF 120"), (":96 ", ":120 "),
            ("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 9 UDP/TLS/RTP/SAVPF 109"), (":111 ", ":109 "), ("opus/48000/2", "OPUS/48000/2"),
        ] {
            sdp = sdp.replacingOccurrences(of: from, with: to)
        }
        let transport = sdp.split(separator: "\r\n").filter {
            $0.hasPrefix("a=ice-ufrag") || $0.hasPrefix("a=ice-pwd") || $0.hasPrefix("a=fingerprint")
        }.prefix(3).joined(separator: "\r\n")
        sdp += "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n\(transport)\r\na=setup:actpass\r\na=mid:data2\r\na=sctp-port:5000\r\n"

        let answerer = PeerConnectionCore(configuration: .init(certificate: try .init()))
        try answerer.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: sdp), at: .now)
        #expect(answerer.transceivers.map(\.mid) == ["video0", "audio1"])
        #expect(answerer.transceivers.map { $0.codec?.payloadType } == [120, 109])
        let answer = try answerer.createAnswer().sdp
        #expect(answer.contains("a=group:BUNDLE video0 audio1\r\n"))
        #expect(answer.contains("m=video 9 UDP/TLS/RTP/SAVPF 120\r\n") && answer.contains("m=audio 9 UDP/TLS/RTP/SAVPF 109\r\n"))
        #expect(answer.contains("a=rtpmap:109 OPUS/48000/2"))
        // The rejected data channel still carries the mid, ICE credentials, fingerprint and setup.
        let data = try #require(answer.components(separatedBy: "m=application").last)
        #expect(data.hasPrefix(" 0 UDP/DTLS/SCTP webrtc-datachannel"))
        for attribute in ["a=mid:data2", "a=ice-ufrag:", "a=ice-pwd:", "a=fingerprint:sha-256 ", "a=setup:active"] {
            #expect(data.contains(attribute), "the rejected section has \(attribute)")
        }
    }

    @Test("an offer with nothing this side can use fails with no-common-codec and leaves the connection stable")
    func offerWithNothingUsable() throws {
        let core = PeerConnectionCore(configuration: .init(certificate: try .init()))
        #expect {
            try core.setRemoteDescription(RTCSessionDescription(type: .offer, sdp: SignalingSessionTests.dataChannelOnlyOffer), at: .now)
        } throws: { error in
            (error as? PeerConnectionError)?.code == .noCommonCodec
        }
        #expect(core.signalingState == .stable && core.transceivers.isEmpty)
    }

    @Test("while consent checks go unanswered (ICE disconnected) video keeps flowing and every frame still decodes in order")
    func mediaFlowsWhileDisconnected() throws {
        var call = try Self.connected(offererSends: [.video])
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        // Lose every STUN message (consent requests and responses) for 8 s; RTP and RTCP get through.
        call.network.discards = { bytes in (bytes.first ?? 0xFF) < 4 }
        try SimulatedMedia.run(&call, for: .seconds(8), sending: &media)
        #expect(call.offerer.iceConnectionState == .disconnected, "consent went unanswered for over 5 s")
        call.network.discards = nil
        try SimulatedMedia.run(&call, for: .seconds(4), sending: &media)
        #expect(call.offerer.connectionState == .connected, "consent came back")
        let numbers = try Self.frameNumbers(call.receivedByAnswerer)
        #expect(numbers.count >= 13 * 30 - 3, "\(numbers.count) of 390 frames decoded: none went missing while disconnected")
        #expect(numbers == numbers.sorted())
    }

    @Test("when consent expires (30 s without answers) the sender says so and stops all RTP and RTCP at once")
    func consentExpiryStopsMedia() throws {
        var call = try Self.connected(offererSends: [.audio, .video])
        var media = [try SimulatedMedia(.offerer, startingAt: call.now)]
        try SimulatedMedia.run(&call, for: .seconds(1), sending: &media)
        call.offererEvents.removeAll()
        // The far end stops answering consent checks (its STUN is lost); media still gets through.
        call.network.discards = { bytes in (bytes.first ?? 0xFF) < 4 }
        try SimulatedMedia.run(&call, for: .seconds(32), sending: &media)
        #expect(call.offerer.connectionState == .failed)
        let expired = call.offererEvents.firstIndex { if case .consentExpired = $0 { true } else { false } }
        let failed = call.offererEvents.firstIndex { if case .connectionStateChanged(.failed) = $0 { true } else { false } }
        #expect(expired != nil && failed != nil && expired! < failed!, "consentExpired comes, then failed")
        let rtp = call.offerer.statistics.packetsSent
        let rtcp = call.offerer.statistics.rtcpPacketsSent
        try SimulatedMedia.run(&call, for: .seconds(5), sending: &media)
        #expect(call.offerer.statistics.packetsSent == rtp, "no RTP after consent expired")
        #expect(call.offerer.statistics.rtcpPacketsSent == rtcp, "no RTCP after consent expired")
    }
}
