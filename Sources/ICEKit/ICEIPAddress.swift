/// An IPv4 or IPv6 address held as plain integers, with no heap storage.
///
/// Parses the textual forms candidates carry (`"192.0.2.1"`, `"::1"`,
/// `"2001:db8::1"`, `"::ffff:192.0.2.1"`) and prints IPv6 in the canonical
/// form of RFC 5952 (lowercase, longest zero run compressed). Zone identifiers
/// (`"fe80::1%eth0"`) are not accepted.
public struct ICEIPAddress: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The address family.
    public enum Family: Hashable, Sendable {
        /// IPv4, 4 bytes.
        case ipv4
        /// IPv6, 16 bytes.
        case ipv6
    }

    enum Storage: Hashable, Sendable {
        case v4(UInt32)
        case v6(high: UInt64, low: UInt64)
    }

    var storage: Storage

    /// An IPv4 address from its 32-bit value in network order (`0x7F00_0001` is 127.0.0.1).
    public init(ipv4 value: UInt32) {
        storage = .v4(value)
    }

    /// An IPv6 address from its upper and lower 64 bits in network order.
    public init(ipv6High high: UInt64, low: UInt64) {
        storage = .v6(high: high, low: low)
    }

    /// An address from its bytes in network order: 4 bytes for IPv4, 16 for IPv6.
    /// Returns nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        switch bytes.count {
        case 4:
            var value: UInt32 = 0
            for byte in bytes { value = value << 8 | UInt32(byte) }
            storage = .v4(value)
        case 16:
            var high: UInt64 = 0
            var low: UInt64 = 0
            for (index, byte) in bytes.enumerated() {
                if index < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
            }
            storage = .v6(high: high, low: low)
        default:
            return nil
        }
    }

    /// Parses an IPv4 dotted-quad or an IPv6 literal. Returns nil if `text` is neither.
    public init?(_ text: String) {
        var text = text
        let parsed: Storage? = text.withUTF8 { utf8 in
            if utf8.contains(UInt8(ascii: ":")) {
                return ICEIPAddress.parseIPv6(utf8).map { Storage.v6(high: $0.0, low: $0.1) }
            }
            return ICEIPAddress.parseIPv4(utf8[...]).map { Storage.v4($0) }
        }
        guard let parsed else { return nil }
        storage = parsed
    }

    /// 127.0.0.1.
    public static let ipv4Loopback = ICEIPAddress(ipv4: 0x7F00_0001)
    /// ::1.
    public static let ipv6Loopback = ICEIPAddress(ipv6High: 0, low: 1)

    /// The address family.
    public var family: Family {
        switch storage {
        case .v4: .ipv4
        case .v6: .ipv6
        }
    }

    /// The 32-bit value of an IPv4 address, nil for IPv6.
    public var ipv4Value: UInt32? {
        if case .v4(let value) = storage { return value }
        return nil
    }

    /// The address in network order: 4 bytes for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        appendBytes(to: &result)
        return result
    }

    /// Appends the address bytes in network order.
    func appendBytes(to buffer: inout [UInt8]) {
        switch storage {
        case .v4(let value):
            buffer.appendBigEndian(value)
        case .v6(let high, let low):
            buffer.appendBigEndian(high)
            buffer.appendBigEndian(low)
        }
    }

    /// Whether this is a loopback address (127.0.0.0/8 or ::1).
    public var isLoopback: Bool {
        switch storage {
        case .v4(let value): value >> 24 == 127
        case .v6(let high, let low): high == 0 && low == 1
        }
    }

    /// Whether this is the unspecified address (0.0.0.0 or ::).
    public var isUnspecified: Bool {
        switch storage {
        case .v4(let value): value == 0
        case .v6(let high, let low): high == 0 && low == 0
        }
    }

    /// Whether this is a multicast or broadcast address (224.0.0.0/4,
    /// 255.255.255.255, ff00::/8, and those IPv4 ones mapped into IPv6):
    /// no peer is there, and sending to one would reach many hosts, or fail.
    public var isMulticastOrBroadcast: Bool {
        switch storage {
        case .v4(let value): return Self.isMulticastOrBroadcastV4(value)
        case .v6(let high, let low):
            if high == 0, low >> 32 == 0xFFFF { return Self.isMulticastOrBroadcastV4(UInt32(truncatingIfNeeded: low)) }
            return high >> 56 == 0xFF
        }
    }

    private static func isMulticastOrBroadcastV4(_ value: UInt32) -> Bool {
        value >> 28 == 0xE || value == 0xFFFF_FFFF
    }

    /// Whether this is a link-local address (169.254.0.0/16 or fe80::/10).
    public var isLinkLocal: Bool {
        switch storage {
        case .v4(let value): value >> 16 == 0xA9FE
        case .v6(let high, _): high >> 54 == 0x3FA
        }
    }

    /// The dotted-quad form for IPv4, RFC 5952 form for IPv6.
    public var description: String {
        switch storage {
        case .v4(let value):
            return ICEIPAddress.formatIPv4(value)
        case .v6(let high, let low):
            return ICEIPAddress.formatIPv6(high: high, low: low)
        }
    }

    // MARK: Parsing

    private static func parseIPv4(_ utf8: Slice<UnsafeBufferPointer<UInt8>>) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var current: UInt32 = 0
        var digits = 0
        var leadingZero = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, parts < 3 else { return nil }
                value = value << 8 | current
                parts += 1
                current = 0
                digits = 0
                leadingZero = false
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                // Leading zeros are refused: some stacks read them as octal.
                if leadingZero { return nil }
                if digits == 0, byte == UInt8(ascii: "0") { leadingZero = true }
                current = current * 10 + UInt32(byte - UInt8(ascii: "0"))
                digits += 1
                guard digits <= 3, current <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard parts == 3, digits > 0 else { return nil }
        return value << 8 | current
    }

    private static func hexValue(_ byte: UInt8) -> UInt16? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt16(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt16(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt16(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Parses the groups of one side of a `::` (or of a whole address without
    /// one). An IPv4 tail is allowed only where `allowIPv4Tail` says.
    private static func parseGroups(_ text: Slice<UnsafeBufferPointer<UInt8>>, allowIPv4Tail: Bool) -> [UInt16]? {
        var groups: [UInt16] = []
        if text.isEmpty { return groups }
        var start = text.startIndex
        while true {
            let end = text[start...].firstIndex(of: UInt8(ascii: ":")) ?? text.endIndex
            let piece = text[start..<end]
            if end == text.endIndex, allowIPv4Tail, piece.contains(UInt8(ascii: ".")) {
                guard let v4 = parseIPv4(piece) else { return nil }
                groups.append(UInt16(v4 >> 16))
                groups.append(UInt16(v4 & 0xFFFF))
                return groups
            }
            guard !piece.isEmpty, piece.count <= 4 else { return nil }
            var value: UInt16 = 0
            for byte in piece {
                guard let digit = hexValue(byte) else { return nil }
                value = value << 4 | digit
            }
            groups.append(value)
            guard groups.count <= 8 else { return nil }
            if end == text.endIndex { return groups }
            start = text.index(after: end)
            // A trailing single colon leaves an empty last piece, caught above.
            if start == text.endIndex { return nil }
        }
    }

    private static func parseIPv6(_ utf8: UnsafeBufferPointer<UInt8>) -> (UInt64, UInt64)? {
        guard utf8.count >= 2, utf8.count <= 45 else { return nil }
        var doubleColon: Int?
        var index = 0
        while index + 1 < utf8.count {
            if utf8[index] == UInt8(ascii: ":"), utf8[index + 1] == UInt8(ascii: ":") {
                guard doubleColon == nil else { return nil }
                doubleColon = index
                index += 2
            } else {
                index += 1
            }
        }
        var groups: [UInt16]
        if let split = doubleColon {
            let headText = utf8[0..<split]
            let tailText = utf8[(split + 2)...]
            // ":::" leaves a colon at the edge of one side.
            if headText.last == UInt8(ascii: ":") || tailText.first == UInt8(ascii: ":") { return nil }
            guard let head = parseGroups(headText, allowIPv4Tail: false),
                  let tail = parseGroups(tailText, allowIPv4Tail: true),
                  head.count + tail.count <= 7 else { return nil }
            groups = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let all = parseGroups(utf8[...], allowIPv4Tail: true), all.count == 8 else { return nil }
            groups = all
        }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for (position, group) in groups.enumerated() {
            if position < 4 { high = high << 16 | UInt64(group) } else { low = low << 16 | UInt64(group) }
        }
        return (high, low)
    }

    // MARK: Printing

    private static func formatIPv4(_ value: UInt32) -> String {
        "\(value >> 24).\(value >> 16 & 0xFF).\(value >> 8 & 0xFF).\(value & 0xFF)"
    }

    private static func formatIPv6(high: UInt64, low: UInt64) -> String {
        var groups = [UInt16](repeating: 0, count: 8)
        for position in 0..<4 {
            groups[position] = UInt16(truncatingIfNeeded: high >> (48 - 16 * position))
            groups[position + 4] = UInt16(truncatingIfNeeded: low >> (48 - 16 * position))
        }
        // IPv4-mapped addresses keep their dotted tail (RFC 5952 section 5).
        if high == 0, low >> 32 == 0xFFFF {
            return "::ffff:" + formatIPv4(UInt32(truncatingIfNeeded: low))
        }
        // The longest run of two or more zero groups, the first one on a tie.
        var bestStart = -1
        var bestLength = 1
        var runStart = -1
        for position in 0...8 {
            if position < 8, groups[position] == 0 {
                if runStart < 0 { runStart = position }
            } else if runStart >= 0 {
                let length = position - runStart
                if length > bestLength {
                    bestStart = runStart
                    bestLength = length
                }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}
