import Benchmark
import BenchmarkSupport
import CSRTPBench
import SecureTransport
import WebRTC

// The whole per-packet path of `PeerConnectionCore` between two connected
// cores (AEAD_AES_128_GCM, the profile both sides pick first): sending a
// frame (media table lookup, packetize, header extensions, history, SRTP,
// transmit queue) and receiving a datagram (demux, SRTP, RTP parse, stream
// lookup by SSRC, statistics, depacketize, frame event; the frame the
// receiver gets is made by the sender before the measurement starts). Beside each, in the
// same run, the libsrtp2 call the path makes, straight from C: what is left
// above it is ours.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 50,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )

    // One pair for everything (the DTLS handshake runs once).
    guard let pair = try? CorePair() else { fatalError("the two cores did not connect") }
    let onePacketFrame = TestFrame.bytes(size: 1_000)
    let fivePacketFrame = TestFrame.bytes(size: 5_000)

    for (label, frame) in [("1 packet (1000-byte frame)", onePacketFrame), ("5 KB frame (5 packets)", fivePacketFrame)] {
        Benchmark("Core send, \(label): sendFrame + pollTransmit") { benchmark in
            pair.sendFrame(frame)
            while let transmit = pair.sender.pollTransmit() { blackHole(transmit) }
        }

        var datagrams: [[UInt8]] = []
        datagrams.reserveCapacity(8)
        Benchmark("Core receive, \(label): handle(datagram:) + nextTimeout + pollEvent") { benchmark in
            datagrams.removeAll(keepingCapacity: true)
            pair.sendFrame(frame)
            pair.takeDatagrams(into: &datagrams)
            benchmark.startMeasurement()
            for index in datagrams.indices {
                // Handed over uniquely, as the driver does, so SRTP decrypts in place.
                let datagram = datagrams[index]
                datagrams[index] = []
                pair.receiver.handle(datagram: datagram, from: pair.senderAddress, to: pair.receiverAddress, at: pair.now)
                // The driver re-arms its timer after every input.
                blackHole(pair.receiver.nextTimeout())
            }
            while let event = pair.receiver.pollEvent() { blackHole(event) }
        }
    }

    // The floor: libsrtp2's own protect and unprotect of one packet of the
    // same size (1000 bytes of payload after a 12-byte header), from C.
    let outbound = RawSRTPContext(profile: .aeadAES128GCM, direction: .outbound)
    let inbound = RawSRTPContext(profile: .aeadAES128GCM, direction: .inbound)
    var sequence: UInt16 = 0
    var packet = TestRTPPacket.make(size: 1_012, sequenceNumber: 0) + [UInt8](repeating: 0, count: RawSRTPContext.maximumTrailerLength)
    Benchmark("Floor: srtp_protect of one 1012-byte packet (C)") { benchmark in
        sequence &+= 1
        packet.withUnsafeMutableBytes { buffer in
            TestRTPPacket.setSequenceNumber(sequence, at: buffer.baseAddress!)
            var length: Int32 = 1_012
            blackHole(srtp_protect(outbound.context, buffer.baseAddress!, &length))
        }
    }
    var protected: [UInt8] = []
    Benchmark("Floor: srtp_unprotect of one 1012-byte packet (C)") { benchmark in
        sequence &+= 1
        var length: Int32 = 1_012
        packet.withUnsafeMutableBytes { buffer in
            TestRTPPacket.setSequenceNumber(sequence, at: buffer.baseAddress!)
            _ = srtp_protect(outbound.context, buffer.baseAddress!, &length)
        }
        protected = Array(packet[0..<Int(length)])
        benchmark.startMeasurement()
        protected.withUnsafeMutableBytes { buffer in
            var size = length
            blackHole(srtp_unprotect(inbound.context, buffer.baseAddress!, &size))
        }
    }
}
