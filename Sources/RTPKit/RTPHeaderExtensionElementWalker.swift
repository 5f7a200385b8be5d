/// Walks the elements of an RFC 8285 extension body (one-byte or two-byte form).
enum RTPHeaderExtensionElementWalker {
    /// The profile of the one-byte form.
    static let oneByteProfile: UInt16 = 0xBEDE
    /// The profile of the two-byte form, with the four "appbits" cleared.
    static let twoByteProfile: UInt16 = 0x1000

    /// Whether `profile` is one of the RFC 8285 forms.
    @inline(__always)
    static func isElementProfile(_ profile: UInt16) -> Bool {
        profile == oneByteProfile || profile & 0xFFF0 == twoByteProfile
    }

    /// Calls `visit` with each element's id and data range inside `body[range]`.
    ///
    /// `visit` returns `false` to stop early. Returns `false` when an element runs
    /// past the end of the body (the elements before it were visited).
    /// Padding bytes (id 0) are skipped; a one-byte id of 15 ends the list (RFC 8285 section 4.2).
    @inline(__always)
    static func walk(
        profile: UInt16,
        body: UnsafeRawBufferPointer,
        range: Range<Int>,
        visit: (_ id: UInt8, _ data: Range<Int>) -> Bool
    ) -> Bool {
        var offset = range.lowerBound
        let end = range.upperBound
        if profile == oneByteProfile {
            while offset < end {
                let byte = body[offset]
                if byte == 0 {
                    offset += 1
                    continue
                }
                let id = byte >> 4
                if id == 15 { return true }
                let length = Int(byte & 0x0F) + 1
                let dataStart = offset + 1
                guard dataStart + length <= end else { return false }
                if !visit(id, dataStart..<(dataStart + length)) { return true }
                offset = dataStart + length
            }
            return true
        } else {
            while offset < end {
                let id = body[offset]
                if id == 0 {
                    offset += 1
                    continue
                }
                guard offset + 1 < end else { return false }
                let length = Int(body[offset + 1])
                let dataStart = offset + 2
                guard dataStart + length <= end else { return false }
                if !visit(id, dataStart..<(dataStart + length)) { return true }
                offset = dataStart + length
            }
            return true
        }
    }
}
