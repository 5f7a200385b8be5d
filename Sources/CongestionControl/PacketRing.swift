/// A first-in, first-out queue with a fixed capacity, kept in one buffer
/// that is allocated once: pushing and popping never allocate.
struct PacketRing<Element> {
    private var slots: [Element?]
    private var head = 0
    /// How many elements are queued.
    private(set) var count = 0

    /// An empty ring that holds at most `capacity` elements (at least one).
    init(capacity: Int) {
        slots = Array(repeating: nil, count: max(capacity, 1))
    }

    /// The most elements the ring holds.
    var capacity: Int { slots.count }
    var isEmpty: Bool { count == 0 }
    var isFull: Bool { count == slots.count }

    /// The oldest element, if any.
    var first: Element? { isEmpty ? nil : slots[head] }

    /// Appends `element`; returns false (and keeps nothing) when the ring is full.
    mutating func push(_ element: Element) -> Bool {
        guard !isFull else { return false }
        slots[(head + count) % slots.count] = element
        count += 1
        return true
    }

    /// Removes and returns the oldest element.
    mutating func pop() -> Element? {
        guard !isEmpty else { return nil }
        let element = slots[head].take()
        head = (head + 1) % slots.count
        count -= 1
        return element
    }
}

extension PacketRing: Sendable where Element: Sendable {}
