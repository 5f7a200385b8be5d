@testable import SecureTransport
import Testing

@Suite("Outgoing records are packed into datagrams within the MTU")
struct DatagramPackingTests {
    static func record(_ length: Int, fill: UInt8) -> [UInt8] {
        [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, fill, UInt8(length >> 8), UInt8(length & 0xFF)]
            + [UInt8](repeating: fill, count: length)
    }

    @Test("consecutive records share a datagram while they fit; a record is never split")
    func packing() {
        var queue = DTLSDatagramQueue(mtu: 1200)
        let records = (0..<5).map { Self.record(387, fill: UInt8($0)) }  // 400 bytes each
        queue.append { buffer in for record in records { buffer += record } }
        #expect(queue.next() == records[0] + records[1] + records[2])
        #expect(queue.next() == records[3] + records[4])
        #expect(queue.next() == nil)
        #expect(queue.isEmpty)
    }

    @Test("records appended later go into later datagrams in order")
    func appendingLater() {
        var queue = DTLSDatagramQueue(mtu: 500)
        queue.append { $0 += Self.record(100, fill: 1) }
        #expect(queue.next() == Self.record(100, fill: 1))
        queue.append { $0 += Self.record(300, fill: 2) + Self.record(300, fill: 3) }
        #expect(queue.next() == Self.record(300, fill: 2))
        #expect(queue.next() == Self.record(300, fill: 3))
        #expect(queue.next() == nil)
    }

    @Test("bytes that are not a whole record go out as they are")
    func notARecord() {
        var queue = DTLSDatagramQueue(mtu: 1200)
        queue.append { $0 += [1, 2, 3] }
        #expect(queue.next() == [1, 2, 3])
        queue.append { $0 += Self.record(10, fill: 4) + [9, 9] }
        #expect(queue.next() == Self.record(10, fill: 4))
        #expect(queue.next() == [9, 9])
        #expect(queue.next() == nil)
    }
}
