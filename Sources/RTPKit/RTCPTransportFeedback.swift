/// Transport-wide congestion control feedback: transport-layer feedback
/// (PT 205) with FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01,
/// section 3.1).
///
/// The receiver tells the sender, for a run of transport-wide sequence
/// numbers (the header extension every packet of the session carries),
/// which packets arrived and when: each arrival is a delta in 250 µs ticks
/// from the one before it, the first from the reference time (64 ms ticks
/// on the receiver's clock). A sender's delay-based estimator compares
/// these against its send times.
public struct RTCPTransportFeedback: Sendable, Hashable {
    /// The FMT value of transport-wide feedback.
    public static let format: UInt8 = 15
    /// The unit of the receive deltas.
    public static let deltaTick: Duration = .microseconds(250)
    /// The unit of the reference time.
    public static let referenceTick: Duration = .milliseconds(64)
    /// The most statuses one packet reports (the count field is 16 bits).
    public static let maximumPacketCount = Int(UInt16.max)

    /// What happened to one packet.
    public struct PacketResult: Sendable, Hashable {
        /// Its arrival, in ``RTCPTransportFeedback/deltaTick``s after the previous
        /// received packet's (the first: after the reference time); `nil` when
        /// it was not received. 0 to 255 ticks is a "small" delta on the wire,
        /// anything else "large" (two bytes, signed).
        public var receiveDelta: Int16?

        /// A packet that arrived `receiveDelta` ticks after the previous one.
        public init(receiveDelta: Int16?) {
            self.receiveDelta = receiveDelta
        }

        /// A packet that did not arrive.
        public static let notReceived = PacketResult(receiveDelta: nil)

        /// The two-bit status symbol: 0 not received, 1 small delta, 2 large or negative delta.
        var symbol: UInt8 {
            guard let receiveDelta else { return 0 }
            return (0...255).contains(receiveDelta) ? 1 : 2
        }
    }

    /// The SSRC of the packet's sender.
    public var senderSSRC: UInt32
    /// The SSRC of the media source (senders often write 0 or their first media SSRC; receivers ignore it).
    public var mediaSSRC: UInt32
    /// The transport-wide sequence number of the first packet reported.
    public var baseSequenceNumber: UInt16
    /// The receiver's clock at the first delta, in 64 ms ticks (24 bits, signed).
    public var referenceTime: Int32
    /// Counts the feedback packets sent, modulo 256, so a sender sees one lost.
    public var feedbackPacketCount: UInt8
    /// One result per sequence number from ``baseSequenceNumber`` on.
    public var packets: [PacketResult]

    /// Creates a feedback packet. `referenceTime` is kept to its low 24 bits, sign-extended.
    public init(
        senderSSRC: UInt32, mediaSSRC: UInt32, baseSequenceNumber: UInt16, referenceTime: Int32, feedbackPacketCount: UInt8,
        packets: [PacketResult]
    ) {
        self.senderSSRC = senderSSRC
        self.mediaSSRC = mediaSSRC
        self.baseSequenceNumber = baseSequenceNumber
        self.referenceTime = (referenceTime << 8) >> 8
        self.feedbackPacketCount = feedbackPacketCount
        self.packets = packets
    }

    /// Each packet's sequence number and arrival, as time since the
    /// receiver's clock origin (`nil`: not received).
    public var arrivals: [(sequenceNumber: UInt16, arrival: Duration?)] {
        var time = Self.referenceTick * Int(referenceTime)
        return packets.enumerated().map { index, result in
            let sequenceNumber = baseSequenceNumber &+ UInt16(truncatingIfNeeded: index)
            guard let delta = result.receiveDelta else { return (sequenceNumber, nil) }
            time += Self.deltaTick * Int(delta)
            return (sequenceNumber, time)
        }
    }

    /// Parses a buffer that holds exactly one transport-wide feedback packet.
    public init(parsing bytes: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(bytes) { (buffer) throws(RTPError) -> RTCPTransportFeedback in
            let frame = try RTCPFrame.readSingle(buffer, expecting: .transportFeedback)
            guard frame.count == Self.format else {
                throw RTPError(.malformedPacket, "transport feedback FMT \(frame.count) is not transport-wide feedback")
            }
            return try RTCPTransportFeedback(frame: frame, buffer: buffer)
        }
    }

    init(frame: RTCPFrame, buffer: UnsafeRawBufferPointer) throws(RTPError) {
        let body = frame.body
        guard body.count >= 16 else {
            throw RTPError(.invalidLength, "transport-wide feedback needs 16 bytes before its chunks, has \(body.count)")
        }
        senderSSRC = buffer.readUInt32(at: body.lowerBound)
        mediaSSRC = buffer.readUInt32(at: body.lowerBound + 4)
        baseSequenceNumber = buffer.readUInt16(at: body.lowerBound + 8)
        let statusCount = Int(buffer.readUInt16(at: body.lowerBound + 10))
        referenceTime = Int32(bitPattern: buffer.readUInt24(at: body.lowerBound + 12) << 8) >> 8
        feedbackPacketCount = buffer[body.lowerBound + 15]

        // The chunks: each gives the status symbols of the next packets.
        var symbols: [UInt8] = []
        symbols.reserveCapacity(statusCount)
        var offset = body.lowerBound + 16
        while symbols.count < statusCount {
            guard offset + 2 <= body.upperBound else {
                throw RTPError(.truncated, "transport-wide feedback ends after \(symbols.count) of \(statusCount) statuses")
            }
            let chunk = buffer.readUInt16(at: offset)
            offset += 2
            let left = statusCount - symbols.count
            if chunk & 0x8000 == 0 {
                // Run length: one symbol, repeated.
                let symbol = UInt8((chunk >> 13) & 0x03)
                let run = Int(chunk & 0x1FFF)
                guard symbol != 3 else { throw RTPError(.malformedPacket, "transport-wide feedback uses the reserved status 3") }
                guard run > 0 else { throw RTPError(.malformedPacket, "transport-wide feedback has an empty run") }
                symbols.append(contentsOf: repeatElement(symbol, count: min(run, left)))
            } else if chunk & 0x4000 == 0 {
                // Fourteen one-bit symbols: received (small delta) or not.
                for bit in (0..<14).reversed().prefix(left) {
                    symbols.append(UInt8((chunk >> UInt16(bit)) & 1))
                }
            } else {
                // Seven two-bit symbols.
                for pair in (0..<7).reversed().prefix(left) {
                    let symbol = UInt8((chunk >> UInt16(2 * pair)) & 0x03)
                    guard symbol != 3 else { throw RTPError(.malformedPacket, "transport-wide feedback uses the reserved status 3") }
                    symbols.append(symbol)
                }
            }
        }

        // The deltas: one byte for a small one, two (signed) for a large one.
        var packets: [PacketResult] = []
        packets.reserveCapacity(statusCount)
        for symbol in symbols {
            switch symbol {
            case 1:
                guard offset + 1 <= body.upperBound else { throw RTPError(.truncated, "transport-wide feedback ends inside its deltas") }
                packets.append(PacketResult(receiveDelta: Int16(buffer[offset])))
                offset += 1
            case 2:
                guard offset + 2 <= body.upperBound else { throw RTPError(.truncated, "transport-wide feedback ends inside its deltas") }
                packets.append(PacketResult(receiveDelta: Int16(bitPattern: buffer.readUInt16(at: offset))))
                offset += 2
            default:
                packets.append(.notReceived)
            }
        }
        self.packets = packets
    }

    /// The size on the wire, padded to whole 32-bit words.
    public var serializedSize: Int { Self.layout(of: packets.prefix(Self.maximumPacketCount)).size }

    /// The chunks of `reported`, and the packet's size before and after padding.
    private static func layout(of reported: ArraySlice<PacketResult>) -> (chunks: [UInt16], unpadded: Int, size: Int) {
        let chunks = Self.chunks(for: reported)
        // A status symbol of 1 or 2 is also its delta's size in bytes.
        let deltas = reported.reduce(0) { $0 + Int($1.symbol) }
        let unpadded = 20 + 2 * chunks.count + deltas
        return (chunks, unpadded, (unpadded + 3) / 4 * 4)
    }

    /// Appends the packet to `buffer`, padded to whole 32-bit words with RTCP
    /// padding (the P bit set, as Chromium sends it); it reports at most
    /// ``maximumPacketCount`` packets (any beyond are left out).
    public func serialize(into buffer: inout [UInt8]) {
        let reported = packets.prefix(Self.maximumPacketCount)
        let (chunks, unpadded, size) = Self.layout(of: reported)
        let padding = size - unpadded
        RTCPFrame.writeHeader(
            into: &buffer, count: Self.format, packetType: RTCPPacketType.transportFeedback.rawValue, bodyLength: size - 4,
            hasPadding: padding > 0)
        buffer.appendBigEndian(senderSSRC)
        buffer.appendBigEndian(mediaSSRC)
        buffer.appendBigEndian(baseSequenceNumber)
        buffer.appendBigEndian(UInt16(reported.count))
        buffer.appendBigEndian24(UInt32(bitPattern: referenceTime) & 0xFF_FFFF)
        buffer.append(feedbackPacketCount)
        for chunk in chunks { buffer.appendBigEndian(chunk) }
        for result in reported {
            guard let delta = result.receiveDelta else { continue }
            if result.symbol == 1 {
                buffer.append(UInt8(delta))
            } else {
                buffer.appendBigEndian(UInt16(bitPattern: delta))
            }
        }
        // RTCP padding (RFC 3550 6.4.1), as libwebrtc writes it: zeros, then their count.
        if padding > 0 {
            buffer.append(contentsOf: repeatElement(0, count: padding - 1))
            buffer.append(UInt8(padding))
        }
    }

    /// The packet as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        serialize(into: &buffer)
        return buffer
    }

    /// Packs the status symbols into chunks: a run-length chunk for a run of
    /// 14 or more equal symbols (7 or more where a large delta rules out
    /// one-bit symbols), else a vector of 14 one-bit or 7 two-bit symbols.
    static func chunks(for packets: some Collection<PacketResult>) -> [UInt16] {
        let symbols = packets.map(\.symbol)
        var chunks: [UInt16] = []
        var index = 0
        while index < symbols.count {
            var run = 1
            while index + run < symbols.count, symbols[index + run] == symbols[index], run < 0x1FFF { run += 1 }
            let next14 = symbols[index..<min(index + 14, symbols.count)]
            let oneBitFits = !next14.contains(2)
            if run >= 14 || (!oneBitFits && run >= 7) || index + run == symbols.count && run > 1 {
                chunks.append(UInt16(symbols[index]) << 13 | UInt16(run))
                index += run
            } else if oneBitFits {
                var chunk: UInt16 = 0x8000
                for (position, symbol) in next14.enumerated() { chunk |= UInt16(symbol) << UInt16(13 - position) }
                chunks.append(chunk)
                index += next14.count
            } else {
                var chunk: UInt16 = 0xC000
                for (position, symbol) in symbols[index..<min(index + 7, symbols.count)].enumerated() {
                    chunk |= UInt16(symbol) << UInt16(12 - 2 * position)
                }
                chunks.append(chunk)
                index += min(7, symbols.count - index)
            }
        }
        return chunks
    }
}
