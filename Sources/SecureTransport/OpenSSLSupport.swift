import COpenSSL

/// Small helpers over OpenSSL's C API shared by the certificate and DTLS code.
enum OpenSSLSupport {
    /// Drains this thread's OpenSSL error queue into one line ("" when it is empty).
    static func drainErrors() -> String {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            let text = buffer.withUnsafeMutableBufferPointer { pointer -> String in
                ERR_error_string_n(code, pointer.baseAddress, pointer.count)
                return String(cString: pointer.baseAddress!)
            }
            messages.append(text)
        }
        return messages.joined(separator: "; ")
    }

    /// `context` followed by OpenSSL's queued errors, if any.
    static func message(_ context: String) -> String {
        let details = drainErrors()
        return details.isEmpty ? context : "\(context): \(details)"
    }

    /// Reads everything pending in a memory BIO.
    static func readAll(from bio: OpaquePointer) -> [UInt8] {
        let pending = Int(BIO_ctrl_pending(bio))
        guard pending > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: pending)
        let read = bytes.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
        bytes.removeLast(pending - max(0, Int(read)))
        return bytes
    }

    /// The DER encoding of an X509 certificate.
    static func derEncoding(of certificate: OpaquePointer) -> [UInt8]? {
        let length = i2d_X509(certificate, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_X509(certificate, &cursor)
        }
        return written == length ? der : nil
    }

    /// The digest of `bytes` with one of OpenSSL's message digests.
    static func digest(_ bytes: UnsafeRawBufferPointer, algorithm: DTLSFingerprint.Algorithm) -> [UInt8]? {
        let md: OpaquePointer?
        switch algorithm {
        case .sha1: md = EVP_sha1()
        case .sha224: md = EVP_sha224()
        case .sha256: md = EVP_sha256()
        case .sha384: md = EVP_sha384()
        case .sha512: md = EVP_sha512()
        default: md = nil
        }
        guard let md else { return nil }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = output.withUnsafeMutableBufferPointer { out in
            EVP_Digest(bytes.baseAddress, bytes.count, out.baseAddress, &length, md, nil)
        }
        guard ok == 1 else {
            _ = drainErrors()
            return nil
        }
        output.removeLast(output.count - Int(length))
        return output
    }
}
