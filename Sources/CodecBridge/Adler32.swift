/// The Adler-32 checksum that ends a zlib stream (RFC 1950) (internal).
enum Adler32 {
    /// The largest prime below 2¹⁶.
    private static let modulus: UInt32 = 65_521
    /// The most bytes that can be summed before the sums could overflow 32 bits.
    private static let blockLength = 5_552

    /// The Adler-32 of `bytes` (1 for no bytes).
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        bytes.withUnsafeBufferPointer { bytes in
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + blockLength)
                for index in start..<end {
                    a &+= UInt32(bytes[index])
                    b &+= a
                }
                a %= modulus
                b %= modulus
                start = end
            }
        }
        return b << 16 | a
    }
}
