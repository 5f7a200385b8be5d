/// A FIFO queue with a fixed capacity; `push` refuses elements beyond it.
struct BoundedQueue<Element> {
    private var storage: [Element] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }

    /// Appends `element`; returns false (and drops it) when the queue is full.
    @discardableResult
    mutating func push(_ element: Element) -> Bool {
        guard count < capacity else { return false }
        storage.append(element)
        return true
    }

    mutating func pop() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 32, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: true)
        head = 0
    }
}

extension BoundedQueue: Sendable where Element: Sendable {}
