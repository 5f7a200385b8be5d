/// Rules for the `room` query parameter.
public enum RoomName {
    /// The longest room name accepted.
    public static let maxLength = 64

    /// Whether `name` is a valid room name: 1 to 64 characters from
    /// `A-Z a-z 0-9 - _ .`, so that names are safe in URLs and logs.
    public static func isValid(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maxLength else { return false }
        return bytes.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                true
            default:
                false
            }
        }
    }
}
