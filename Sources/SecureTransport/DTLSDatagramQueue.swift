/// Outgoing DTLS records, packed into datagrams no larger than the MTU.
///
/// OpenSSL writes whole records back to back into the memory BIO, each within
/// the MTU. The queue splits that stream at record boundaries (13-byte header,
/// length in bytes 11-12) and puts as many consecutive records into a datagram
/// as fit, so a flight usually leaves as one datagram (RFC 6347 section 4.1.1
/// allows several records per datagram).
struct DTLSDatagramQueue {
    static let recordHeaderLength = 13

    let mtu: Int
    /// Records not yet handed out, starting at `readIndex`.
    private(set) var buffer: [UInt8] = []
    private var readIndex = 0

    init(mtu: Int) { self.mtu = mtu }

    var isEmpty: Bool { readIndex >= buffer.count }

    /// Lets `body` append records to the end of the queue.
    mutating func append(_ body: (inout [UInt8]) -> Void) {
        if readIndex > 0, readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        body(&buffer)
    }

    /// The next datagram: at least one whole record, then as many following
    /// records as keep it within the MTU.
    mutating func next() -> [UInt8]? {
        guard readIndex < buffer.count else { return nil }
        let start = readIndex
        var end = start
        while let length = recordLength(at: end), end == start || end - start + length <= mtu {
            end += length
        }
        if end == start { end = buffer.count }  // not a record stream: send the rest as is
        readIndex = end
        let datagram = Array(buffer[start..<end])
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            readIndex = 0
        }
        return datagram
    }

    /// The length of the whole record starting at `offset`, if one fits in the buffer.
    private func recordLength(at offset: Int) -> Int? {
        guard buffer.count - offset >= Self.recordHeaderLength else { return nil }
        let length = Self.recordHeaderLength + (Int(buffer[offset + 11]) << 8 | Int(buffer[offset + 12]))
        return buffer.count - offset >= length ? length : nil
    }
}
