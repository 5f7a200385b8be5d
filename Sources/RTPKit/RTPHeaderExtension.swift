/// The header extension of an RTP packet: an RFC 8285 element list in the
/// one-byte (`0xBEDE`) or two-byte (`0x100X`) form, or an opaque RFC 3550
/// extension under any other profile.
///
/// Its invariants (ids and lengths that fit the form, a body that fits the
/// 16-bit length field) are checked when it is built or changed, so
/// serialization never fails.
public struct RTPHeaderExtension: Sendable, Hashable {
    /// One RFC 8285 extension element: a local id and its data.
    public struct Element: Sendable, Hashable {
        /// The local identifier negotiated with `a=extmap` (1-14 one-byte form, 1-255 two-byte form).
        public var id: UInt8
        /// The element's data (1-16 bytes in the one-byte form, 0-255 bytes in the two-byte form).
        public var data: [UInt8]

        /// Creates an element.
        public init(id: UInt8, data: [UInt8]) {
            self.id = id
            self.data = data
        }
    }

    /// How the extension is laid out on the wire.
    public enum Form: Sendable, Hashable {
        /// RFC 8285 one-byte headers, profile `0xBEDE`.
        case oneByte
        /// RFC 8285 two-byte headers, profile `0x100X` where X is `appBits` (0-15).
        case twoByte(appBits: UInt8)
        /// An RFC 3550 extension with any other profile and an opaque body.
        case generic(profile: UInt16)
    }

    /// The wire form.
    public private(set) var form: Form
    /// The elements, in wire order (empty for the generic form).
    public private(set) var elements: [Element]
    /// The opaque body of a generic extension (a multiple of 4 bytes; empty for the RFC 8285 forms).
    public private(set) var genericData: [UInt8]

    /// The 16-bit "defined by profile" field written on the wire.
    public var profile: UInt16 {
        switch form {
        case .oneByte: return RTPHeaderExtensionElementWalker.oneByteProfile
        case .twoByte(let appBits): return RTPHeaderExtensionElementWalker.twoByteProfile | UInt16(appBits & 0x0F)
        case .generic(let profile): return profile
        }
    }

    /// The largest body the 16-bit length field (in 32-bit words) can describe.
    static let maximumBodySize = 0xFFFF * 4

    /// An empty extension in the one-byte form.
    public init() {
        form = .oneByte
        elements = []
        genericData = []
    }

    /// An extension in the one-byte form.
    ///
    /// - Throws: ``RTPError/Code/invalidHeaderExtension`` if an id is outside 1-14 or
    ///   a data length outside 1-16.
    public init(oneByte elements: [Element]) throws(RTPError) {
        for element in elements {
            try Self.validate(element, in: .oneByte)
        }
        self.form = .oneByte
        self.elements = elements
        self.genericData = []
        try checkSize()
    }

    /// An extension in the two-byte form.
    ///
    /// - Throws: ``RTPError/Code/invalidHeaderExtension`` if an id is 0, a data length
    ///   is above 255, or `appBits` is above 15.
    public init(twoByte elements: [Element], appBits: UInt8 = 0) throws(RTPError) {
        guard appBits <= 0x0F else {
            throw RTPError(.invalidHeaderExtension, "appbits \(appBits) does not fit in 4 bits")
        }
        for element in elements {
            try Self.validate(element, in: .twoByte(appBits: appBits))
        }
        self.form = .twoByte(appBits: appBits)
        self.elements = elements
        self.genericData = []
        try checkSize()
    }

    /// An extension from its profile and raw body, as found on the wire.
    ///
    /// For profiles `0xBEDE` and `0x100X` the body is parsed into ``elements``
    /// (padding dropped); any other profile keeps the body as ``genericData``.
    /// - Throws: ``RTPError/Code/invalidHeaderExtension`` if the body is not a
    ///   multiple of 4 bytes, is too long, or an element runs past its end.
    public init(profile: UInt16, body: some Collection<UInt8>) throws(RTPError) {
        self = try withBorrowedBytes(body) { (buffer) throws(RTPError) -> RTPHeaderExtension in
            try RTPHeaderExtension(profile: profile, buffer: buffer, range: 0..<buffer.count)
        }
    }

    /// Parses a body that sits at `range` inside `buffer`.
    init(profile: UInt16, buffer: UnsafeRawBufferPointer, range: Range<Int>) throws(RTPError) {
        guard range.count % 4 == 0, range.count <= Self.maximumBodySize else {
            throw RTPError(.invalidHeaderExtension, "extension body of \(range.count) bytes is not a whole number of 32-bit words")
        }
        if RTPHeaderExtensionElementWalker.isElementProfile(profile) {
            var parsed: [Element] = []
            let complete = RTPHeaderExtensionElementWalker.walk(profile: profile, body: buffer, range: range) { id, data in
                parsed.append(Element(id: id, data: Array(buffer[data])))
                return true
            }
            guard complete else {
                throw RTPError(.invalidHeaderExtension, "an extension element runs past the end of the extension")
            }
            if profile == RTPHeaderExtensionElementWalker.oneByteProfile {
                form = .oneByte
            } else {
                form = .twoByte(appBits: UInt8(profile & 0x0F))
            }
            elements = parsed
            genericData = []
        } else {
            form = .generic(profile: profile)
            elements = []
            genericData = Array(buffer[range])
        }
    }

    /// The data of the first element with this id, or nil.
    public func element(id: UInt8) -> [UInt8]? {
        elements.first(where: { $0.id == id })?.data
    }

    /// Where the data of the first element with this id starts in the
    /// serialized extension (counted from its 4-byte header), or nil: a
    /// sender patches a per-packet value (a transport-wide sequence number)
    /// there without building the extension again.
    public func dataOffset(id: UInt8) -> Int? {
        let elementHeader: Int
        switch form {
        case .oneByte: elementHeader = 1
        case .twoByte: elementHeader = 2
        case .generic: return nil
        }
        var offset = 4
        for element in elements {
            if element.id == id { return offset + elementHeader }
            offset += elementHeader + element.data.count
        }
        return nil
    }

    /// Sets (replaces or appends) the element with this id.
    ///
    /// A one-byte extension switches to the two-byte form (appbits 0) when the
    /// element does not fit the one-byte form (id above 14, or data empty or
    /// longer than 16 bytes); a peer must then have accepted
    /// `a=extmap-allow-mixed`.
    /// - Throws: ``RTPError/Code/invalidHeaderExtension`` for id 0, data longer than
    ///   255 bytes, a generic extension, or a body that would not fit.
    public mutating func setElement(id: UInt8, data: some Collection<UInt8>) throws(RTPError) {
        if case .generic = form {
            throw RTPError(.invalidHeaderExtension, "a generic (non RFC 8285) extension has no elements")
        }
        let element = Element(id: id, data: Array(data))
        var newForm = form
        if form == .oneByte, !Self.fitsOneByte(element) {
            newForm = .twoByte(appBits: 0)
        }
        try Self.validate(element, in: newForm)
        var updated = self
        updated.form = newForm
        if let index = updated.elements.firstIndex(where: { $0.id == id }) {
            updated.elements[index] = element
        } else {
            updated.elements.append(element)
        }
        try updated.checkSize()
        self = updated
    }

    /// Removes every element with this id; returns whether one was there.
    @discardableResult
    public mutating func removeElement(id: UInt8) -> Bool {
        let before = elements.count
        elements.removeAll(where: { $0.id == id })
        return elements.count != before
    }

    /// The size on the wire: the 4-byte extension header plus the padded body.
    public var serializedSize: Int { 4 + paddedBodySize }

    /// Appends the extension header and body to `buffer`.
    public func serialize(into buffer: inout [UInt8]) {
        let body = paddedBodySize
        buffer.appendBigEndian(profile)
        buffer.appendBigEndian(UInt16(body / 4))
        let start = buffer.count
        switch form {
        case .oneByte:
            for element in elements {
                buffer.append(element.id << 4 | UInt8(element.data.count - 1))
                buffer.append(contentsOf: element.data)
            }
        case .twoByte:
            for element in elements {
                buffer.append(element.id)
                buffer.append(UInt8(element.data.count))
                buffer.append(contentsOf: element.data)
            }
        case .generic:
            buffer.append(contentsOf: genericData)
        }
        buffer.appendZeros(body - (buffer.count - start))
    }

    /// The extension header and body as a new array.
    public func serialized() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(serializedSize)
        serialize(into: &buffer)
        return buffer
    }

    // MARK: - Invariants

    private var unpaddedBodySize: Int {
        switch form {
        case .oneByte: return elements.reduce(0) { $0 + 1 + $1.data.count }
        case .twoByte: return elements.reduce(0) { $0 + 2 + $1.data.count }
        case .generic: return genericData.count
        }
    }

    private var paddedBodySize: Int { (unpaddedBodySize + 3) & ~3 }

    private func checkSize() throws(RTPError) {
        guard paddedBodySize <= Self.maximumBodySize else {
            throw RTPError(.invalidHeaderExtension, "extension body of \(paddedBodySize) bytes exceeds the 16-bit length field")
        }
    }

    private static func fitsOneByte(_ element: Element) -> Bool {
        (1...14).contains(element.id) && (1...16).contains(element.data.count)
    }

    private static func validate(_ element: Element, in form: Form) throws(RTPError) {
        switch form {
        case .oneByte:
            guard fitsOneByte(element) else {
                throw RTPError(.invalidHeaderExtension, "one-byte element needs id 1-14 and 1-16 bytes of data (id \(element.id), \(element.data.count) bytes)")
            }
        case .twoByte:
            guard element.id != 0, element.data.count <= 255 else {
                throw RTPError(.invalidHeaderExtension, "two-byte element needs id 1-255 and at most 255 bytes of data (id \(element.id), \(element.data.count) bytes)")
            }
        case .generic:
            throw RTPError(.invalidHeaderExtension, "a generic extension has no elements")
        }
    }
}

extension RTPHeaderExtension {
    /// A generic RFC 3550 extension with an opaque body.
    ///
    /// - Throws: ``RTPError/Code/invalidHeaderExtension`` if `data` is not a
    ///   multiple of 4 bytes or is longer than the length field allows, or if
    ///   `profile` is an RFC 8285 profile (use ``init(profile:body:)`` for those).
    public init(genericProfile profile: UInt16, data: [UInt8]) throws(RTPError) {
        guard !RTPHeaderExtensionElementWalker.isElementProfile(profile) else {
            throw RTPError(.invalidHeaderExtension, "profile \(profile) is an RFC 8285 element profile")
        }
        guard data.count % 4 == 0, data.count <= Self.maximumBodySize else {
            throw RTPError(.invalidHeaderExtension, "generic extension data must be a whole number of 32-bit words")
        }
        self.form = .generic(profile: profile)
        self.elements = []
        self.genericData = data
    }
}
