import Foundation

/// A buffered, forward-reading file (internal: the readers' only way to the disk).
/// Memory stays bounded: one chunk of buffer plus whatever a caller asks for.
final class FileReader {
    private static let chunkSize = 64 * 1024

    private var handle: FileHandle?
    private let path: String
    private var buffer: [UInt8] = []
    private var bufferIndex = 0
    private var reachedEnd = false
    /// The file offset of the next byte `readByte`/`read` will return.
    private(set) var offset: UInt64 = 0

    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CodecError(.fileAccessFailed, "cannot open \(path) for reading")
        }
        self.handle = handle
    }

    deinit {
        try? handle?.close()
    }

    func close() {
        try? handle?.close()
        handle = nil
        buffer = []
        bufferIndex = 0
        reachedEnd = false
    }

    /// Refills the buffer; returns false at the end of the file.
    private func refill() throws -> Bool {
        if reachedEnd { return false }
        guard let handle else { throw CodecError(.fileAccessFailed, "\(path) is closed") }
        let data: Data?
        do {
            data = try handle.read(upToCount: Self.chunkSize)
        } catch {
            throw CodecError(.fileAccessFailed, "cannot read \(path): \(error)")
        }
        guard let data, !data.isEmpty else {
            reachedEnd = true
            return false
        }
        buffer = [UInt8](data)
        bufferIndex = 0
        return true
    }

    /// The next byte, or `nil` at the end of the file.
    func readByte() throws -> UInt8? {
        if bufferIndex == buffer.count {
            guard try refill() else { return nil }
        }
        let byte = buffer[bufferIndex]
        bufferIndex += 1
        offset += 1
        return byte
    }

    /// Bytes up to (not including) the next line feed, which is consumed.
    ///
    /// Returns `nil` at the end of the file before any byte; throws
    /// `truncatedFile` if the file ends inside the line and `malformedHeader`
    /// if the line is longer than `maximumLength`.
    func readLine(maximumLength: Int, what: String) throws -> [UInt8]? {
        var line: [UInt8] = []
        while true {
            guard let byte = try readByte() else {
                if line.isEmpty { return nil }
                throw CodecError(.truncatedFile, "\(path) ends inside the \(what)")
            }
            if byte == 0x0A { return line }
            guard line.count < maximumLength else {
                throw CodecError(.malformedHeader, "the \(what) in \(path) is longer than \(maximumLength) bytes")
            }
            line.append(byte)
        }
    }

    /// Up to `count` bytes; fewer only at the end of the file. The result grows
    /// as data arrives, so a bogus large count on a short file allocates little.
    func read(count: Int) throws -> [UInt8] {
        guard count > 0 else { return [] }
        var result: [UInt8] = []
        result.reserveCapacity(min(count, 4 * 1024 * 1024))
        while result.count < count {
            if bufferIndex == buffer.count {
                guard try refill() else { break }
            }
            let take = min(count - result.count, buffer.count - bufferIndex)
            result.append(contentsOf: buffer[bufferIndex..<(bufferIndex + take)])
            bufferIndex += take
            offset += UInt64(take)
        }
        return result
    }

    /// Moves to an absolute offset (used to loop back to the first frame).
    func seek(to newOffset: UInt64) throws {
        guard let handle else { throw CodecError(.fileAccessFailed, "\(path) is closed") }
        do {
            try handle.seek(toOffset: newOffset)
        } catch {
            throw CodecError(.fileAccessFailed, "cannot seek in \(path): \(error)")
        }
        buffer = []
        bufferIndex = 0
        reachedEnd = false
        offset = newOffset
    }
}

/// A file written from the start, with in-place patching (internal).
final class FileWriter {
    private var handle: FileHandle?
    private let path: String

    /// Creates (or truncates) the file at `path`.
    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else {
            throw CodecError(.fileAccessFailed, "cannot create \(path)")
        }
        self.handle = handle
    }

    deinit {
        try? handle?.close()
    }

    var isOpen: Bool { handle != nil }

    func write(_ bytes: [UInt8]) throws {
        guard let handle else { throw CodecError(.fileAccessFailed, "\(path) is closed") }
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw CodecError(.fileAccessFailed, "cannot write \(path): \(error)")
        }
    }

    /// Overwrites bytes at `offset` and returns to the end of the file.
    func patch(_ bytes: [UInt8], at offset: UInt64) throws {
        guard let handle else { throw CodecError(.fileAccessFailed, "\(path) is closed") }
        do {
            let end = try handle.offset()
            try handle.seek(toOffset: offset)
            try handle.write(contentsOf: bytes)
            try handle.seek(toOffset: end)
        } catch {
            throw CodecError(.fileAccessFailed, "cannot patch \(path): \(error)")
        }
    }

    func close() throws {
        guard let handle else { return }
        self.handle = nil
        do {
            try handle.close()
        } catch {
            throw CodecError(.fileAccessFailed, "cannot close \(path): \(error)")
        }
    }
}
