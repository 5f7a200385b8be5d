/// Splits VP8 frames into RTP payloads (RFC 7741).
///
/// Each payload is a payload descriptor plus a slice of the frame, at most
/// `maxPayloadSize` bytes in all. The frame is split into the fewest payloads
/// that fit, of nearly equal sizes (they differ by at most one byte). The
/// first payload has S=1 and PID=0, the others S=0. With a picture ID (the
/// default, as Chromium does) every payload carries the 15-bit picture ID,
/// which advances by one per frame and wraps at 32768.
public struct VP8Packetizer: RTPPacketizer, Sendable {
    /// The 15-bit picture ID the next frame will carry, or nil to send none.
    public private(set) var pictureID: UInt16?

    /// Creates a packetizer.
    ///
    /// - Parameter pictureID: the first frame's picture ID (masked to 15 bits),
    ///   or nil to leave picture IDs out (a 1-byte descriptor).
    public init(pictureID: UInt16? = 0) {
        self.pictureID = pictureID.map { $0 & 0x7FFF }
    }

    /// The descriptor size this packetizer writes.
    public var descriptorSize: Int { pictureID == nil ? 1 : 4 }

    /// Splits `frame` into payloads of at most `maxPayloadSize` bytes each.
    public mutating func packetize(
        frame: some Collection<UInt8>,
        maxPayloadSize: Int,
        emit: (_ payload: [UInt8], _ isLastOfFrame: Bool) throws -> Void
    ) rethrows {
        let pictureID = self.pictureID
        let emitted: Bool
        if let result = try frame.withContiguousStorageIfAvailable({ storage in
            try Self.split(UnsafeRawBufferPointer(storage), pictureID: pictureID, maxPayloadSize: maxPayloadSize, emit: emit)
        }) {
            emitted = result
        } else {
            emitted = try Array(frame).withUnsafeBytes { buffer in
                try Self.split(buffer, pictureID: pictureID, maxPayloadSize: maxPayloadSize, emit: emit)
            }
        }
        if emitted, let pictureID {
            self.pictureID = (pictureID &+ 1) & 0x7FFF
        }
    }

    private static func split(
        _ frame: UnsafeRawBufferPointer,
        pictureID: UInt16?,
        maxPayloadSize: Int,
        emit: (_ payload: [UInt8], _ isLastOfFrame: Bool) throws -> Void
    ) rethrows -> Bool {
        let descriptorSize = pictureID == nil ? 1 : 4
        let room = maxPayloadSize - descriptorSize
        guard room > 0, !frame.isEmpty else { return false }
        let packets = (frame.count + room - 1) / room
        let base = frame.count / packets
        let longer = frame.count % packets
        var payload: [UInt8] = []
        payload.reserveCapacity(descriptorSize + base + 1)
        var offset = 0
        for index in 0..<packets {
            let size = base + (index < longer ? 1 : 0)
            payload.removeAll(keepingCapacity: true)
            if let pictureID {
                payload.append(index == 0 ? 0x90 : 0x80)  // X, and S on the first payload
                payload.append(0x80)  // I
                payload.append(0x80 | UInt8(pictureID >> 8))  // M and the high 7 bits
                payload.append(UInt8(truncatingIfNeeded: pictureID))
            } else {
                payload.append(index == 0 ? 0x10 : 0x00)
            }
            payload.append(contentsOf: UnsafeRawBufferPointer(rebasing: frame[offset..<(offset + size)]))
            offset += size
            try emit(payload, index == packets - 1)
        }
        return true
    }
}
