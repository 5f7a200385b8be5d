import Benchmark
import BenchmarkSupport
import RTPKit

// Packetization, parsing and reassembly on the RTP media path, each beside a
// floor measured in the same run (see Documentation/Benchmarks.md).

/// The largest packet the stream packetizer produces (RTP header included).
let maxPacketSize = 1200
/// The RTP clock advance per frame (90 kHz at 30 frames per second).
let frameDuration: UInt32 = 3000

/// The frames the benchmarks packetize: a typical delta frame and a typical key frame.
let frameCases: [(label: String, size: Int, isKeyFrame: Bool)] = [
    ("5 KB delta frame", TestFrames.deltaFrameSize, false),
    ("40 KB key frame", TestFrames.keyFrameSize, true),
]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        maxDuration: .seconds(2),
        maxIterations: 1_000_000
    )

    for frameCase in frameCases {
        registerPacketization(label: frameCase.label, frame: TestFrames.vp8(size: frameCase.size, keyFrame: frameCase.isKeyFrame))
        registerDepacketization(label: frameCase.label, frame: TestFrames.vp8(size: frameCase.size, keyFrame: frameCase.isKeyFrame))
    }
    registerParsing()
}

// MARK: Packetization

/// One frame into packets of at most `maxPacketSize` bytes.
func registerPacketization(label: String, frame: [UInt8]) {
    // Floor: copy the frame into one reused packet buffer, chunk by chunk, with the
    // same payload room per packet as the VP8 packetizer (12-byte RTP header and
    // 4-byte payload descriptor), writing no headers.
    var floorBuffer = [UInt8](repeating: 0, count: maxPacketSize)
    Benchmark("Packetize \(label): memcpy floor") { _ in
        let headerRoom = RTPHeader.fixedSize + 4
        let room = maxPacketSize - headerRoom
        frame.withUnsafeBytes { source in
            floorBuffer.withUnsafeMutableBytes { packet in
                var offset = 0
                while offset < source.count {
                    let chunk = min(room, source.count - offset)
                    (packet.baseAddress! + headerRoom).copyMemory(from: source.baseAddress! + offset, byteCount: chunk)
                    blackHole(packet)
                    offset += chunk
                }
            }
        }
    }

    // Ours: RTPStreamPacketizer<VP8Packetizer> emitting into its reused buffer.
    var packetizer = RTPStreamPacketizer(
        packetizer: VP8Packetizer(), ssrc: TestRTPPacket.ssrc, payloadType: TestRTPPacket.payloadType,
        sequenceNumber: 1, maxPacketSize: maxPacketSize)
    var timestamp: UInt32 = 0
    Benchmark("Packetize \(label): RTPStreamPacketizer<VP8Packetizer>") { _ in
        timestamp &+= frameDuration
        packetizer.packetize(frame: frame, timestamp: timestamp) { packet, _, _ in
            blackHole(packet)
        }
    }
}

// MARK: Depacketization

/// One frame's packets, header parsed, into a reassembled frame.
func registerDepacketization(label: String, frame: [UInt8]) {
    var source = RTPStreamPacketizer(
        packetizer: VP8Packetizer(), ssrc: TestRTPPacket.ssrc, payloadType: TestRTPPacket.payloadType,
        sequenceNumber: 1, maxPacketSize: maxPacketSize)
    let packets = source.packetize(frame: frame, timestamp: 0).map { $0.serialized() }
    let packetCount = UInt16(packets.count)

    // Floor: concatenate the payloads (past the 12-byte header and the 4-byte
    // descriptor) into a new array for the frame, as the frame handed out must be.
    Benchmark("Depacketize \(label): memcpy floor") { _ in
        var data: [UInt8] = []
        data.reserveCapacity(frame.count)
        for packet in packets {
            data.append(contentsOf: packet[(RTPHeader.fixedSize + 4)...])
        }
        blackHole(data)
    }

    // Ours: RTPHeader(parsing:) per packet, VP8Depacketizer.push, then pollEvent.
    // Each frame gets fresh sequence numbers and a new timestamp.
    // The delta frame stands alone here, so do not wait for a key frame.
    var depacketizer = VP8Depacketizer(dropsDeltaFramesUntilKeyFrame: false)
    var frameIndex: UInt32 = 0
    Benchmark("Depacketize \(label): RTPHeader + VP8Depacketizer") { benchmark in
        frameIndex &+= 1
        let sequenceOffset = UInt16(truncatingIfNeeded: frameIndex) &* packetCount
        let timestampOffset = frameIndex &* frameDuration
        do {
            for packet in packets {
                let header = try RTPHeader(parsing: packet)
                depacketizer.push(
                    payload: packet[header.payloadRange], sequenceNumber: header.sequenceNumber &+ sequenceOffset,
                    timestamp: header.timestamp &+ timestampOffset, marker: header.marker)
            }
        } catch {
            benchmark.error("RTPHeader(parsing:) failed: \(error)")
        }
        while let event = depacketizer.pollEvent() {
            guard case .frame(let reassembled) = event, reassembled.data.count == frame.count else {
                benchmark.error("expected the whole frame, got \(event)")
                return
            }
            blackHole(reassembled)
        }
    }
}

// MARK: Parsing

/// Parsing one received 1200-byte packet, 1000 times per sample.
func registerParsing() {
    let parseConfiguration = Benchmark.Configuration(scalingFactor: .kilo)
    let plain = TestRTPPacket.make(sequenceNumber: 1000)
    // What browsers send: a one-byte header extension with mid, abs-send-time and
    // transport-wide sequence number elements.
    var browserLike = try! RTPPacket(parsing: plain)  // swiftlint:disable:this force_try
    browserLike.headerExtension = try! RTPHeaderExtension(oneByte: [  // swiftlint:disable:this force_try
        .init(id: 4, data: Array("0".utf8)),
        .init(id: 2, data: [0x12, 0x34, 0x56]),
        .init(id: 3, data: [0x00, 0x2A]),
    ])
    browserLike.payload.removeLast(browserLike.headerSize - RTPHeader.fixedSize)
    let withExtension = browserLike.serialized()
    precondition(withExtension.count == TestRTPPacket.size, "the browser-like packet should be \(TestRTPPacket.size) bytes")

    for (label, packet) in [("plain", plain), ("3 extension elements", withExtension)] {
        // Floor: load the fixed header's fields and skip the extension by its length.
        Benchmark("Parse 1200-byte packet, \(label): header-read floor", configuration: parseConfiguration) { benchmark in
            for _ in benchmark.scaledIterations {
                packet.withUnsafeBytes { bytes in
                    let sequenceNumber = UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self))
                    let timestamp = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self))
                    let ssrc = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self))
                    var payloadStart = 12 + 4 * Int(bytes[0] & 0x0F)
                    if bytes[0] & 0x10 != 0 {
                        payloadStart += 4 + 4 * Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: payloadStart + 2, as: UInt16.self)))
                    }
                    blackHole((sequenceNumber, timestamp, ssrc, payloadStart))
                }
            }
        }

        Benchmark("Parse 1200-byte packet, \(label): RTPHeader(parsing:)", configuration: parseConfiguration) { benchmark in
            do {
                for _ in benchmark.scaledIterations {
                    blackHole(try RTPHeader(parsing: packet))
                }
            } catch {
                benchmark.error("RTPHeader(parsing:) failed: \(error)")
            }
        }

        // The same parse from raw memory, without the generic Collection entry point.
        Benchmark("Parse 1200-byte packet, \(label): RTPHeader(parsing: UnsafeRawBufferPointer)", configuration: parseConfiguration) { benchmark in
            packet.withUnsafeBytes { bytes in
                do {
                    for _ in benchmark.scaledIterations {
                        blackHole(try RTPHeader(parsing: bytes))
                    }
                } catch {
                    benchmark.error("RTPHeader(parsing:) failed: \(error)")
                }
            }
        }

        // Floor for a parse that owns its parts: the header read plus a copy of the payload into a new array.
        Benchmark("Parse 1200-byte packet, \(label): header read + payload copy floor", configuration: parseConfiguration) { benchmark in
            for _ in benchmark.scaledIterations {
                packet.withUnsafeBytes { bytes in
                    var payloadStart = 12 + 4 * Int(bytes[0] & 0x0F)
                    if bytes[0] & 0x10 != 0 {
                        payloadStart += 4 + 4 * Int(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: payloadStart + 2, as: UInt16.self)))
                    }
                    blackHole(Array(bytes[payloadStart...]))
                }
            }
        }

        Benchmark("Parse 1200-byte packet, \(label): RTPPacket(parsing:)", configuration: parseConfiguration) { benchmark in
            do {
                for _ in benchmark.scaledIterations {
                    blackHole(try RTPPacket(parsing: packet))
                }
            } catch {
                benchmark.error("RTPPacket(parsing:) failed: \(error)")
            }
        }
    }
}
