extension Array where Element == UInt8 {
    /// Appends `value` in network byte order.
    @inline(__always)
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        var bigEndian = value.bigEndian
        Swift.withUnsafeBytes(of: &bigEndian) { append(contentsOf: $0) }
    }

    /// Overwrites two bytes at `offset` with `value` in network byte order.
    @inline(__always)
    mutating func setBigEndian(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 1] = UInt8(truncatingIfNeeded: value)
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Reads a big-endian integer at `offset`; the caller has checked the bounds.
    @inline(__always)
    func readBigEndian<T: FixedWidthInteger>(at offset: Int, as type: T.Type = T.self) -> T {
        var value: T = 0
        for index in offset..<(offset + MemoryLayout<T>.size) {
            value = value << 8 | T(self[index])
        }
        return value
    }
}

extension Collection<UInt8> {
    /// Runs `body` on contiguous storage, copying only when the collection has none.
    @inline(__always)
    func withContiguousBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try withContiguousStorageIfAvailable(body) { return result }
        return try Array(self).withUnsafeBufferPointer(body)
    }
}
