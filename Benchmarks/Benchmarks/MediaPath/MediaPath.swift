import Benchmark
import BenchmarkSupport
import CSRTPBench
import RTPKit
import SecureTransport

// The whole per-frame media path with AEAD_AES_128_GCM (the profile negotiated
// first by default): send = packetize + SRTP protect of every packet, receive =
// SRTP unprotect + RTP parse + VP8 reassembly. The floor does the same crypto
// with libsrtp2 called from C and moves the bytes with memcpy.

/// The largest RTP packet (header included, SRTP trailer not).
let maxPacketSize = 1200
/// The RTP clock advance per frame (90 kHz at 30 frames per second).
let frameDuration: UInt32 = 3000
/// The SRTP profile of every benchmark here.
let profile = RawSRTPContext.Profile.aeadAES128GCM
let libraryProfile = SRTPProtectionProfile.aeadAES128GCM

/// The bytes before the VP8 data in each packet: RTP header and the 4-byte descriptor.
let headerRoom = RTPHeader.fixedSize + 4

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        maxDuration: .seconds(2),
        maxIterations: 200_000
    )

    // SecureTransport initializes libsrtp2 on its first session and fails if
    // someone else did it first, so let it go first.
    _ = makeSession(.outbound)

    for (label, size, isKeyFrame) in [
        ("5 KB delta frame", TestFrames.deltaFrameSize, false), ("40 KB key frame", TestFrames.keyFrameSize, true),
    ] {
        let frame = TestFrames.vp8(size: size, keyFrame: isKeyFrame)
        registerSend(label: label, frame: frame)
        registerReceive(label: label, frame: frame)
    }
}

func makeSession(_ direction: SRTPSession.Direction) -> SRTPSession {
    // The key and salt fit the profile, so creation cannot fail.
    try! SRTPSession(  // swiftlint:disable:this force_try
        profile: libraryProfile, key: TestKeys.key(for: profile), salt: TestKeys.salt(for: profile), direction: direction)
}

func makePacketizer() -> RTPStreamPacketizer<VP8Packetizer> {
    RTPStreamPacketizer(
        packetizer: VP8Packetizer(), ssrc: TestRTPPacket.ssrc, payloadType: TestRTPPacket.payloadType,
        sequenceNumber: 1, maxPacketSize: maxPacketSize)
}

// MARK: Send

func registerSend(label: String, frame: [UInt8]) {
    // Floor: per packet, a 12-byte header and the frame chunk copied into one
    // reused buffer (the same payload room as the VP8 packetizer), then
    // srtp_protect in place.
    let raw = RawSRTPContext(profile: profile, direction: .outbound)
    var floorBuffer = [UInt8](repeating: 0, count: maxPacketSize + RawSRTPContext.maximumTrailerLength)
    var floorSequence: UInt16 = 0
    var floorTimestamp: UInt32 = 0
    Benchmark("Send \(label): floor (memcpy + srtp_protect)") { benchmark in
        floorTimestamp &+= frameDuration
        let room = maxPacketSize - headerRoom
        let context = raw.context
        frame.withUnsafeBytes { source in
            floorBuffer.withUnsafeMutableBytes { packet in
                let base = packet.baseAddress!
                var offset = 0
                while offset < source.count {
                    let chunk = min(room, source.count - offset)
                    floorSequence &+= 1
                    base.storeBytes(of: UInt8(0x80), as: UInt8.self)
                    base.storeBytes(of: TestRTPPacket.payloadType, toByteOffset: 1, as: UInt8.self)
                    base.storeBytes(of: floorSequence.bigEndian, toByteOffset: 2, as: UInt16.self)
                    base.storeBytes(of: floorTimestamp.bigEndian, toByteOffset: 4, as: UInt32.self)
                    base.storeBytes(of: TestRTPPacket.ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
                    (base + headerRoom).copyMemory(from: source.baseAddress! + offset, byteCount: chunk)
                    var length = Int32(headerRoom + chunk)
                    let status = srtp_protect(context, base, &length)
                    guard status == srtp_err_status_ok else {
                        benchmark.error("srtp_protect failed: \(status.rawValue)")
                        return
                    }
                    blackHole(packet)
                    offset += chunk
                }
            }
        }
    }

    // Ours, as the core's send stream does it: the stream packetizer's reused buffer,
    // with SRTP's trailer room reserved, protected in place.
    let session = makeSession(.outbound)
    var packetizer = makePacketizer()
    var timestamp: UInt32 = 0
    Benchmark("Send \(label): RTPStreamPacketizer + SRTPSession.protect") { benchmark in
        timestamp &+= frameDuration
        do {
            try packetizer.packetize(
                frame: frame, timestamp: timestamp, reservedTrailerCapacity: SRTPSession.maximumTrailerLength
            ) { packet, _, _ in
                try session.protect(rtp: &packet)
                blackHole(packet)
            }
        } catch {
            benchmark.error("protect failed: \(error)")
        }
    }

    // Ours, plus what PeerConnectionCore.sendFrame does next: keep each packet as an
    // array in its transmit queue (so the packetizer's buffer is shared and the
    // next packet needs a new one).
    let queueSession = makeSession(.outbound)
    var queuePacketizer = makePacketizer()
    var queueTimestamp: UInt32 = 0
    var queue: [[UInt8]] = []
    Benchmark("Send \(label): RTPStreamPacketizer + protect + queue [UInt8] (as sendVideoFrame)") { benchmark in
        queueTimestamp &+= frameDuration
        queue.removeAll(keepingCapacity: true)
        do {
            try queuePacketizer.packetize(
                frame: frame, timestamp: queueTimestamp, reservedTrailerCapacity: SRTPSession.maximumTrailerLength
            ) { packet, _, _ in
                try queueSession.protect(rtp: &packet)
                queue.append(packet)
            }
        } catch {
            benchmark.error("protect failed: \(error)")
        }
        blackHole(queue)
    }
}

// MARK: Receive

/// One frame's SRTP packets with fresh sequence numbers, made before each
/// measurement (replay protection rejects a packet seen before).
struct ProtectedFrame {
    /// The frame's RTP packets, unprotected, as sent (sequence numbers from 1, timestamp 0).
    let plain: [[UInt8]]
    /// The packets: SRTP after `refill`, RTP once unprotected.
    var packets: [[UInt8]]
    /// The SRTP length of each packet after `refill`.
    var lengths: [Int]
    /// Frames made so far.
    var frameIndex: UInt32 = 0

    init(frame: [UInt8]) {
        var packetizer = makePacketizer()
        plain = packetizer.packetize(frame: frame, timestamp: 0).map { $0.serialized() }
        packets = plain.map { packet in
            var copy = packet
            copy.reserveCapacity(packet.count + SRTPSession.maximumTrailerLength)
            return copy
        }
        lengths = Array(repeating: 0, count: plain.count)
    }

    /// Rewrites the packets as the next frame (sequence numbers and timestamp
    /// moved on) and protects each with `protect`, which returns the SRTP length.
    mutating func refill(_ protect: (inout [UInt8]) throws -> Int) rethrows {
        frameIndex &+= 1
        let sequenceOffset = UInt16(truncatingIfNeeded: frameIndex) &* UInt16(plain.count)
        let timestamp = frameIndex &* frameDuration
        for index in plain.indices {
            packets[index].removeAll(keepingCapacity: true)
            packets[index].append(contentsOf: plain[index])
            let sequence = (UInt16(plain[index][2]) << 8 | UInt16(plain[index][3])) &+ sequenceOffset
            TestRTPPacket.setSequenceNumber(sequence, in: &packets[index])
            packets[index][4] = UInt8(truncatingIfNeeded: timestamp >> 24)
            packets[index][5] = UInt8(truncatingIfNeeded: timestamp >> 16)
            packets[index][6] = UInt8(truncatingIfNeeded: timestamp >> 8)
            packets[index][7] = UInt8(truncatingIfNeeded: timestamp)
            lengths[index] = try protect(&packets[index])
        }
    }
}

func registerReceive(label: String, frame: [UInt8]) {
    // Floor: srtp_unprotect in place, then the payloads copied into a new array for the frame.
    let rawOutbound = RawSRTPContext(profile: profile, direction: .outbound)
    let rawInbound = RawSRTPContext(profile: profile, direction: .inbound)
    var rawFrame = ProtectedFrame(frame: frame)
    Benchmark("Receive \(label): floor (srtp_unprotect + memcpy)") { benchmark in
        rawFrame.refill { packet in
            // Room for the trailer (within the reserved capacity), then protect the RTP bytes.
            let rtpLength = packet.count
            packet.append(contentsOf: repeatElement(0, count: RawSRTPContext.maximumTrailerLength))
            return packet.withUnsafeMutableBytes { buffer in
                var length = Int32(rtpLength)
                let status = srtp_protect(rawOutbound.context, buffer.baseAddress!, &length)
                precondition(status == srtp_err_status_ok, "srtp_protect failed: \(status.rawValue)")
                return Int(length)
            }
        }
        benchmark.startMeasurement()
        floorReceive(&rawFrame, frameSize: frame.count, context: rawInbound.context, benchmark: benchmark)
    }

    // Ours as PeerConnectionCore.receiveRTP does it: unprotect(srtp: inout [UInt8])
    // in place, RTPHeader(parsing:), VP8Depacketizer.push(header:packet:), pollEvent.
    let outbound = makeSession(.outbound)
    let inbound = makeSession(.inbound)
    var protectedFrame = ProtectedFrame(frame: frame)
    var depacketizer = VP8Depacketizer(dropsDeltaFramesUntilKeyFrame: false)
    Benchmark("Receive \(label): unprotect in place + RTPHeader + VP8Depacketizer") { benchmark in
        do {
            try protectedFrame.refill { packet in
                try outbound.protect(rtp: &packet)
                return packet.count
            }
            benchmark.startMeasurement()
            for index in protectedFrame.packets.indices {
                try inbound.unprotect(srtp: &protectedFrame.packets[index])
                let header = try RTPHeader(parsing: protectedFrame.packets[index])
                depacketizer.push(header: header, packet: protectedFrame.packets[index])
            }
        } catch {
            benchmark.error("receive failed: \(error)")
        }
        drain(&depacketizer, frameSize: frame.count, benchmark: benchmark)
    }

    // The receive path as receiveRTP had it before commit 6af3531, kept to show
    // what copies cost: the datagram copied into a var, unprotected, parsed into
    // an RTPPacket (payload copied), pushed.
    let coreOutbound = makeSession(.outbound)
    let coreInbound = makeSession(.inbound)
    var coreFrame = ProtectedFrame(frame: frame)
    var coreDepacketizer = VP8Depacketizer(dropsDeltaFramesUntilKeyFrame: false)
    Benchmark("Receive \(label): copy + unprotect + RTPPacket (receiveRTP before 6af3531)") { benchmark in
        do {
            try coreFrame.refill { packet in
                try coreOutbound.protect(rtp: &packet)
                return packet.count
            }
            benchmark.startMeasurement()
            for datagram in coreFrame.packets {
                try receiveWithCopies(datagram, srtp: coreInbound, depacketizer: &coreDepacketizer)
            }
        } catch {
            benchmark.error("receive failed: \(error)")
        }
        drain(&coreDepacketizer, frameSize: frame.count, benchmark: benchmark)
    }
}

func floorReceive(_ frame: inout ProtectedFrame, frameSize: Int, context: srtp_t, benchmark: Benchmark) {
    var data: [UInt8] = []
    data.reserveCapacity(frameSize)
    for index in frame.packets.indices {
        let length = frame.lengths[index]
        let status = frame.packets[index].withUnsafeMutableBytes { buffer in
            var rtpLength = Int32(length)
            let status = srtp_unprotect(context, buffer.baseAddress!, &rtpLength)
            data.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[headerRoom..<Int(rtpLength)]))
            return status
        }
        guard status == srtp_err_status_ok else {
            benchmark.error("srtp_unprotect failed: \(status.rawValue)")
            return
        }
    }
    guard data.count == frameSize else {
        benchmark.error("reassembled \(data.count) bytes, expected \(frameSize)")
        return
    }
    blackHole(data)
}

/// The steps of the earlier `PeerConnectionCore.receiveRTP` that touched the packet.
@inline(never)
func receiveWithCopies(_ datagram: [UInt8], srtp: SRTPSession, depacketizer: inout VP8Depacketizer) throws {
    var packet = datagram
    try srtp.unprotect(srtp: &packet)
    let rtp = try RTPPacket(parsing: packet)
    depacketizer.push(rtp)
}

func drain(_ depacketizer: inout VP8Depacketizer, frameSize: Int, benchmark: Benchmark) {
    var frames = 0
    while let event = depacketizer.pollEvent() {
        guard case .frame(let reassembled) = event, reassembled.data.count == frameSize else {
            benchmark.error("expected the whole frame, got \(event)")
            return
        }
        frames += 1
        blackHole(reassembled)
    }
    if frames != 1 {
        benchmark.error("expected one frame, got \(frames)")
    }
}
