// Internal helpers for reading and writing big-endian fields.

/// Runs `body` over the bytes of `bytes` without copying when the collection
/// has contiguous storage, and over a temporary copy otherwise.
@inlinable @inline(__always)
func withBorrowedBytes<C: Collection<UInt8>, R>(
    _ bytes: C,
    _ body: (UnsafeRawBufferPointer) throws(RTPError) -> R
) throws(RTPError) -> R {
    if let result = bytes.withContiguousStorageIfAvailable({ buffer -> Result<R, RTPError> in
        Result { () throws(RTPError) -> R in try body(UnsafeRawBufferPointer(buffer)) }
    }) {
        return try result.get()
    }
    let copy = Array(bytes)
    let result = copy.withUnsafeBytes { buffer -> Result<R, RTPError> in
        Result { () throws(RTPError) -> R in try body(buffer) }
    }
    return try result.get()
}

/// Non-throwing variant of ``withBorrowedBytes(_:_:)``.
@inlinable @inline(__always)
func withBorrowedBytesNonThrowing<C: Collection<UInt8>, R>(
    _ bytes: C,
    _ body: (UnsafeRawBufferPointer) -> R
) -> R {
    if let result = bytes.withContiguousStorageIfAvailable({ body(UnsafeRawBufferPointer($0)) }) {
        return result
    }
    return Array(bytes).withUnsafeBytes { body($0) }
}

extension UnsafeRawBufferPointer {
    /// Reads a big-endian UInt16 at `offset`; the caller has checked bounds.
    @inline(__always)
    func readUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    /// Reads a big-endian 24-bit value at `offset`; the caller has checked bounds.
    @inline(__always)
    func readUInt24(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 16 | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2])
    }

    /// Reads a big-endian UInt32 at `offset`; the caller has checked bounds.
    @inline(__always)
    func readUInt32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) << 24 | UInt32(self[offset + 1]) << 16
            | UInt32(self[offset + 2]) << 8 | UInt32(self[offset + 3])
    }

    /// Reads a big-endian UInt64 at `offset`; the caller has checked bounds.
    @inline(__always)
    func readUInt64(at offset: Int) -> UInt64 {
        UInt64(readUInt32(at: offset)) << 32 | UInt64(readUInt32(at: offset + 4))
    }

    /// Copies `range` into a new array.
    @inline(__always)
    func copyBytes(_ range: Range<Int>) -> [UInt8] {
        Array(self[range])
    }
}

extension Array where Element == UInt8 {
    /// Appends a big-endian UInt16.
    @inline(__always)
    mutating func appendBigEndian(_ value: UInt16) {
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends a big-endian 24-bit value (the low 24 bits of `value`).
    @inline(__always)
    mutating func appendBigEndian24(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends a big-endian UInt32.
    @inline(__always)
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends a big-endian UInt64.
    @inline(__always)
    mutating func appendBigEndian(_ value: UInt64) {
        appendBigEndian(UInt32(truncatingIfNeeded: value >> 32))
        appendBigEndian(UInt32(truncatingIfNeeded: value))
    }

    /// Appends `count` zero bytes.
    @inline(__always)
    mutating func appendZeros(_ count: Int) {
        if count > 0 { append(contentsOf: repeatElement(0, count: count)) }
    }
}

/// `count` rounded up to a multiple of 4.
@inline(__always)
func paddedTo4(_ count: Int) -> Int { (count + 3) & ~3 }
