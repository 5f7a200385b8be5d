import COpenSSL

/// HMAC-SHA1 (RFC 2104) for one key, with the key's inner and outer hash states
/// computed once: each message then costs its own SHA-1 blocks plus two short
/// finals, and copying a state is a struct copy, so nothing is allocated.
struct HMACSHA1 {
    /// The digest length in bytes.
    static let digestLength = 20

    private var inner = SHA_CTX()
    private var outer = SHA_CTX()

    /// Prepares the states for `key` (at most one 64-byte SHA-1 block; SRTP's
    /// session authentication keys are 20 bytes).
    init(key: [UInt8]) {
        precondition(key.count <= 64, "HMACSHA1 takes keys of up to 64 bytes")
        var pad = [UInt8](repeating: 0x36, count: 64)
        for (index, byte) in key.enumerated() { pad[index] ^= byte }
        SHA1_Init(&inner)
        SHA1_Update(&inner, pad, 64)
        for index in pad.indices { pad[index] ^= 0x36 ^ 0x5C }
        SHA1_Init(&outer)
        SHA1_Update(&outer, pad, 64)
        for index in pad.indices { pad[index] = 0 }
    }

    /// Writes the HMAC of `count` bytes at `message`, followed by `suffixCount`
    /// bytes at `suffix`, to the 20 bytes at `digest`.
    func authenticate(
        _ message: UnsafeRawPointer, count: Int,
        suffix: UnsafeRawPointer, suffixCount: Int,
        into digest: UnsafeMutablePointer<UInt8>
    ) {
        var state = inner
        SHA1_Update(&state, message, count)
        if suffixCount > 0 { SHA1_Update(&state, suffix, suffixCount) }
        SHA1_Final(digest, &state)
        state = outer
        SHA1_Update(&state, digest, Self.digestLength)
        SHA1_Final(digest, &state)
    }
}
