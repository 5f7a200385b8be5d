/// Little-endian integer reading and writing on byte arrays (internal).
enum LittleEndian {
    /// Reads 2 bytes at `offset`; the caller has checked the bounds.
    static func uint16(_ bytes: [UInt8], at offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    /// Reads 4 bytes at `offset`; the caller has checked the bounds.
    static func uint32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    /// Reads 8 bytes at `offset`; the caller has checked the bounds.
    static func uint64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }

    /// Appends `value`'s bytes, least significant first.
    static func append<T: FixedWidthInteger & UnsignedInteger>(_ value: T, to buffer: inout [UInt8]) {
        for index in 0..<(T.bitWidth / 8) {
            buffer.append(UInt8(truncatingIfNeeded: value >> (8 * index)))
        }
    }
}
