import SignalingCore
import Testing

@Suite("RoomName")
struct RoomNameTests {
    @Test(arguments: ["default", "a", "Z", "0", "room-1", "my_room.v2", "-._", String(repeating: "x", count: RoomName.maxLength)])
    func validNames(_ name: String) {
        #expect(RoomName.isValid(name))
    }

    @Test(arguments: [
        "", String(repeating: "x", count: RoomName.maxLength + 1), "a b", "a/b", "a\\b", "a?b", "a&b", "a=b", "a%20b",
        "a#b", "caf\u{E9}", "\u{1F600}", "a\u{0}b", "a\nb", "a~b", "a+b",
    ])
    func invalidNames(_ name: String) {
        #expect(!RoomName.isValid(name))
    }
}
