import Benchmark
import BenchmarkSupport
import CEVPBaseline
import CSRTPBench
import SecureTransport

// SRTP protect and unprotect of one 1200-byte RTP packet: SecureTransport's
// SRTPSession over each backend, beside two baselines from C in the same run:
// the bare OpenSSL calls doing the same cryptographic work (the floor for the
// OpenSSL backend), and libsrtp2's srtp_protect/srtp_unprotect. Every protect
// uses a new sequence number (as a sender does), and every unprotect gets a
// packet not seen before (replay protection is on).

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )

    // SecureTransport initializes libsrtp2 on its first session and fails if
    // someone else did it first, so let it go first.
    _ = RawSRTPContext.Profile.aeadAES128GCM.session(.outbound, .libsrtp2)

    for profile in RawSRTPContext.Profile.allCases {
        registerProtect(profile)
        registerUnprotect(profile)
    }
}

extension RawSRTPContext.Profile {
    /// The same profile in SecureTransport's terms.
    var library: SRTPProtectionProfile {
        switch self {
        case .aes128CMHMACSHA1_80: .aes128CMHMACSHA1_80
        case .aeadAES128GCM: .aeadAES128GCM
        }
    }

    /// A SecureTransport session with the benchmark key.
    func session(_ direction: SRTPSession.Direction, _ backend: SRTPBackend) -> SRTPSession {
        // The key and salt fit the profile, so creation cannot fail.
        try! SRTPSession(  // swiftlint:disable:this force_try
            profile: library, key: TestKeys.key(for: self), salt: TestKeys.salt(for: self), direction: direction,
            backend: backend)
    }

    /// The C baseline's context: the benchmark key used as the session key (the
    /// work per packet does not depend on the key's value).
    func evpBaseline(encrypt: Bool) -> OpaquePointer {
        let key = TestKeys.key(for: self)
        let authenticationKey = [UInt8](repeating: 0x33, count: 20)
        let salt = TestKeys.salt(for: self)
        return evp_baseline_new(self == .aeadAES128GCM ? 1 : 0, encrypt ? 1 : 0, key, authenticationKey, salt)!
    }
}

/// The RTP packet's length in every benchmark here.
let packetSize = TestRTPPacket.size

// MARK: Protect

func registerProtect(_ profile: RawSRTPContext.Profile) {
    // Baseline: srtp_protect in place on a buffer with room for the trailer.
    let raw = RawSRTPContext(profile: profile, direction: .outbound)
    var rawPacket = TestRTPPacket.make(sequenceNumber: 0) + [UInt8](repeating: 0, count: RawSRTPContext.maximumTrailerLength)
    var rawSequence: UInt16 = 0
    Benchmark("Protect 1200 B, \(profile): libsrtp2 srtp_protect (C baseline)") { benchmark in
        let context = raw.context
        rawPacket.withUnsafeMutableBytes { buffer in
            let base = buffer.baseAddress!
            for _ in benchmark.scaledIterations {
                rawSequence &+= 1
                TestRTPPacket.setSequenceNumber(rawSequence, at: base)
                var length = Int32(packetSize)
                let status = srtp_protect(context, base, &length)
                guard status == srtp_err_status_ok else {
                    benchmark.error("srtp_protect failed: \(status.rawValue)")
                    return
                }
            }
        }
    }

    // Baseline: the bare OpenSSL calls for the same cipher and tag, from C.
    let evp = profile.evpBaseline(encrypt: true)
    var evpPacket = TestRTPPacket.make(sequenceNumber: 0) + [UInt8](repeating: 0, count: 16)
    var evpIndex: UInt64 = 0
    Benchmark("Protect 1200 B, \(profile): OpenSSL EVP bare calls (C baseline)") { benchmark in
        evpPacket.withUnsafeMutableBufferPointer { buffer in
            for _ in benchmark.scaledIterations {
                evpIndex &+= 1
                guard evp_baseline_protect(evp, buffer.baseAddress!, Int32(packetSize), evpIndex) > 0 else {
                    benchmark.error("evp_baseline_protect failed")
                    return
                }
            }
        }
    }

    for backend in SRTPBackend.allCases {
        registerProtect(profile, backend)
    }
}

func registerProtect(_ profile: RawSRTPContext.Profile, _ backend: SRTPBackend) {
    // Ours, array API: protect(rtp: inout [UInt8]) grows the packet by the tag;
    // the array has SRTPSession.maximumTrailerLength spare capacity, as the
    // stream packetizer leaves when asked to.
    let session = profile.session(.outbound, backend)
    var packet = TestRTPPacket.make(sequenceNumber: 0, spareCapacity: SRTPSession.maximumTrailerLength)
    var sequence: UInt16 = 0
    Benchmark("Protect 1200 B, \(profile): SRTPSession \(backend), protect(rtp: inout [UInt8])") { benchmark in
        do {
            for _ in benchmark.scaledIterations {
                sequence &+= 1
                TestRTPPacket.setSequenceNumber(sequence, in: &packet)
                try session.protect(rtp: &packet)
                packet.removeLast(packet.count - packetSize)
            }
        } catch {
            benchmark.error("protect failed: \(error)")
        }
    }

    // Ours, buffer API: protect(rtp:count:) on raw memory with room for the trailer.
    let bufferSession = profile.session(.outbound, backend)
    var bufferPacket = TestRTPPacket.make(sequenceNumber: 0) + [UInt8](repeating: 0, count: SRTPSession.maximumTrailerLength)
    var bufferSequence: UInt16 = 0
    Benchmark("Protect 1200 B, \(profile): SRTPSession \(backend), protect(rtp:count:) buffer") { benchmark in
        do {
            try bufferPacket.withUnsafeMutableBytes { buffer in
                for _ in benchmark.scaledIterations {
                    bufferSequence &+= 1
                    TestRTPPacket.setSequenceNumber(bufferSequence, at: buffer.baseAddress!)
                    blackHole(try bufferSession.protect(rtp: buffer, count: packetSize))
                }
            }
        } catch {
            benchmark.error("protect failed: \(error)")
        }
    }
}

// MARK: Unprotect

/// A batch of protected packets, one per scaled iteration, made before the
/// measurement starts: each sample unprotects packets it has not seen.
struct ProtectedBatch {
    /// The packets: SRTP after a refill, RTP again after unprotecting them.
    var packets: [[UInt8]] = []
    /// The SRTP length of each packet after a refill.
    var lengths: [Int] = []
    /// The last sequence number used.
    var sequence: UInt16 = 0

    /// Makes sure there are `count` packets of `packetSize` bytes plus `room` bytes each.
    mutating func prepare(count: Int, room: Int) {
        while packets.count < count {
            packets.append(TestRTPPacket.make(sequenceNumber: 0) + [UInt8](repeating: 0, count: room))
            lengths.append(0)
        }
    }
}

func registerUnprotect(_ profile: RawSRTPContext.Profile) {
    // Baseline: srtp_unprotect in place.
    let rawOutbound = RawSRTPContext(profile: profile, direction: .outbound)
    let rawInbound = RawSRTPContext(profile: profile, direction: .inbound)
    var rawBatch = ProtectedBatch()
    Benchmark("Unprotect 1200 B, \(profile): libsrtp2 srtp_unprotect (C baseline)") { benchmark in
        refillRaw(&rawBatch, count: benchmark.scaledIterations.count, context: rawOutbound.context)
        benchmark.startMeasurement()
        unprotectRaw(&rawBatch, context: rawInbound.context, benchmark: benchmark)
    }

    // Baseline: the bare OpenSSL calls, from C, on packets the C baseline protected.
    let evpOutbound = profile.evpBaseline(encrypt: true)
    let evpInbound = profile.evpBaseline(encrypt: false)
    var evpBatch = ProtectedBatch()
    Benchmark("Unprotect 1200 B, \(profile): OpenSSL EVP bare calls (C baseline)") { benchmark in
        let count = benchmark.scaledIterations.count
        evpBatch.prepare(count: count, room: 16)
        let first = UInt64(evpBatch.sequence)
        for index in evpBatch.packets.indices {
            evpBatch.lengths[index] = Int(evpBatch.packets[index].withUnsafeMutableBufferPointer { buffer in
                evp_baseline_protect(evpOutbound, buffer.baseAddress!, Int32(packetSize), first + UInt64(index))
            })
        }
        evpBatch.sequence &+= UInt16(truncatingIfNeeded: evpBatch.packets.count)
        benchmark.startMeasurement()
        for index in evpBatch.packets.indices {
            let length = Int32(evpBatch.lengths[index])
            let result = evpBatch.packets[index].withUnsafeMutableBufferPointer { buffer in
                evp_baseline_unprotect(evpInbound, buffer.baseAddress!, length, first + UInt64(index))
            }
            guard result > 0 else {
                benchmark.error("evp_baseline_unprotect failed")
                return
            }
        }
    }

    for backend in SRTPBackend.allCases {
        registerUnprotect(profile, backend)
    }
}

func registerUnprotect(_ profile: RawSRTPContext.Profile, _ backend: SRTPBackend) {
    // Ours, array API: unprotect(srtp: inout [UInt8]) shrinks each packet back to RTP.
    let outbound = profile.session(.outbound, backend)
    let inbound = profile.session(.inbound, backend)
    var batch = ProtectedBatch()
    Benchmark("Unprotect 1200 B, \(profile): SRTPSession \(backend), unprotect(srtp: inout [UInt8])") { benchmark in
        do {
            try refillArrays(&batch, count: benchmark.scaledIterations.count, session: outbound)
            benchmark.startMeasurement()
            try unprotectArrays(&batch, session: inbound)
        } catch {
            benchmark.error("unprotect failed: \(error)")
        }
    }

    // Ours, buffer API: unprotect(srtp:count:) on raw memory.
    let bufferOutbound = profile.session(.outbound, backend)
    let bufferInbound = profile.session(.inbound, backend)
    var bufferBatch = ProtectedBatch()
    Benchmark("Unprotect 1200 B, \(profile): SRTPSession \(backend), unprotect(srtp:count:) buffer") { benchmark in
        do {
            try refillBuffers(&bufferBatch, count: benchmark.scaledIterations.count, session: bufferOutbound)
            benchmark.startMeasurement()
            try unprotectBuffers(&bufferBatch, session: bufferInbound)
        } catch {
            benchmark.error("unprotect failed: \(error)")
        }
    }
}

func refillRaw(_ batch: inout ProtectedBatch, count: Int, context: srtp_t) {
    batch.prepare(count: count, room: RawSRTPContext.maximumTrailerLength)
    for index in batch.packets.indices {
        batch.sequence &+= 1
        let sequence = batch.sequence
        batch.lengths[index] = batch.packets[index].withUnsafeMutableBytes { buffer in
            TestRTPPacket.setSequenceNumber(sequence, at: buffer.baseAddress!)
            var length = Int32(packetSize)
            let status = srtp_protect(context, buffer.baseAddress!, &length)
            precondition(status == srtp_err_status_ok, "srtp_protect failed: \(status.rawValue)")
            return Int(length)
        }
    }
}

func unprotectRaw(_ batch: inout ProtectedBatch, context: srtp_t, benchmark: Benchmark) {
    for index in batch.packets.indices {
        let status = batch.packets[index].withUnsafeMutableBytes { buffer in
            var length = Int32(batch.lengths[index])
            return srtp_unprotect(context, buffer.baseAddress!, &length)
        }
        guard status == srtp_err_status_ok else {
            benchmark.error("srtp_unprotect failed: \(status.rawValue)")
            return
        }
    }
}

func refillArrays(_ batch: inout ProtectedBatch, count: Int, session: SRTPSession) throws {
    if batch.packets.count < count {
        batch.prepare(count: count, room: 0)
        for index in batch.packets.indices {
            batch.packets[index].reserveCapacity(packetSize + SRTPSession.maximumTrailerLength)
        }
    }
    for index in batch.packets.indices {
        batch.sequence &+= 1
        TestRTPPacket.setSequenceNumber(batch.sequence, in: &batch.packets[index])
        try session.protect(rtp: &batch.packets[index])
    }
}

func unprotectArrays(_ batch: inout ProtectedBatch, session: SRTPSession) throws {
    for index in batch.packets.indices {
        try session.unprotect(srtp: &batch.packets[index])
    }
}

func refillBuffers(_ batch: inout ProtectedBatch, count: Int, session: SRTPSession) throws {
    batch.prepare(count: count, room: SRTPSession.maximumTrailerLength)
    for index in batch.packets.indices {
        batch.sequence &+= 1
        let sequence = batch.sequence
        batch.lengths[index] = try batch.packets[index].withUnsafeMutableBytes { buffer in
            TestRTPPacket.setSequenceNumber(sequence, at: buffer.baseAddress!)
            return try session.protect(rtp: buffer, count: packetSize)
        }
    }
}

func unprotectBuffers(_ batch: inout ProtectedBatch, session: SRTPSession) throws {
    for index in batch.packets.indices {
        let length = batch.lengths[index]
        blackHole(try batch.packets[index].withUnsafeMutableBytes { buffer in
            try session.unprotect(srtp: buffer, count: length)
        })
    }
}
