import CodecBridge
import Foundation
import Testing
import TestSupport
import WebRTC

/// Many connections made, connected and ended over real UDP: nothing they
/// held (sockets, tasks, timers, decoders) may outlive them.
@Suite("Connection churn over UDP on 127.0.0.1")
struct ChurnTests {
    /// A reference that does not keep its connection alive.
    struct WeakConnection {
        weak var connection: PeerConnection?
    }

    /// What the process holds, read from /proc.
    struct ProcessUsage {
        var fileDescriptors: Int
        var threads: Int
        var residentBytes: Int

        static func now() throws -> ProcessUsage {
            let files = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
            let threads = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count
            let statm = try String(contentsOfFile: "/proc/self/statm", encoding: .utf8).split(separator: " ")
            let pages = Int(statm[1]) ?? 0
            return ProcessUsage(fileDescriptors: files, threads: threads, residentBytes: pages * Int(sysconf(Int32(_SC_PAGESIZE))))
        }
    }

    /// One call: a sender with a video track and a receiver, connected over
    /// 127.0.0.1; the receiver decodes one frame (so its decoder exists). Then
    /// both are closed, or only dropped. Returns weak references to both.
    static func call(closing: Bool) async throws -> [WeakConnection] {
        var sender: PeerConnection? = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
        var receiver: PeerConnection? = try await PeerConnection.make(configuration: .init(bindHost: "127.0.0.1"))
        let references = [WeakConnection(connection: sender), WeakConnection(connection: receiver)]
        let video = try await sender!.addVideoTrack(.init(width: 64, height: 48, frameRate: 30, bitrate: 100_000), direction: .sendonly)
        let (tracks, trackContinuation) = AsyncStream.makeStream(of: RemoteTrack.self)
        let forwarding = try await UDPCallTests.connect(sender!, receiver!, tracks: trackContinuation)
        let firstFrame = Task { () -> Bool in
            for await track in tracks {
                guard case .video(let remote) = track else { continue }
                for await _ in remote { return true }
            }
            return false
        }
        let sending = Task {
            var pattern = try TestPatternSource(width: 64, height: 48, frameRate: 30)
            while !Task.isCancelled {
                try await video.send(pattern.nextFrame())
                try await Task.sleep(for: .milliseconds(33))
            }
        }
        let decoded = try await withDeadline(.seconds(10), "a decoded frame") { await firstFrame.value }
        #expect(decoded)
        sending.cancel()
        forwarding.cancel()
        trackContinuation.finish()
        if closing {
            await sender?.close()
            await receiver?.close()
        }
        _ = await sending.result
        _ = await forwarding.value
        sender = nil
        receiver = nil
        return references
    }

    @Test(
        "1,000 connections made, connected, closed or dropped: every one is freed, and descriptors, threads and memory end flat",
        .timeLimit(.minutes(10)))
    func thousandConnections() async throws {
        // Warm-up: the event loops, codec libraries and caches exist after these.
        var references: [WeakConnection] = []
        for index in 0..<10 { references += try await Self.call(closing: index % 2 == 0) }
        try await Self.waitUntilFreed(references)
        let before = try ProcessUsage.now()

        // 490 more calls, five at a time; every third one is dropped without close().
        references = []
        for batch in 0..<98 {
            let freed = try await withThrowingTaskGroup(of: [WeakConnection].self) { group in
                for index in 0..<5 {
                    let closing = (batch * 5 + index) % 3 != 0
                    group.addTask { try await Self.call(closing: closing) }
                }
                var all: [WeakConnection] = []
                for try await pair in group { all += pair }
                return all
            }
            references += freed
        }
        #expect(references.count == 980)
        try await Self.waitUntilFreed(references)
        let after = try ProcessUsage.now()
        print("churn: descriptors \(before.fileDescriptors) -> \(after.fileDescriptors), threads \(before.threads) -> \(after.threads), resident \(before.residentBytes >> 20) -> \(after.residentBytes >> 20) MiB")

        #expect(after.fileDescriptors <= before.fileDescriptors + 2, "descriptors: \(before.fileDescriptors) before, \(after.fileDescriptors) after")
        #expect(after.threads <= before.threads + 2, "threads: \(before.threads) before, \(after.threads) after")
        // A leak of even 100 KB per connection would be 98 MB here.
        let growth = after.residentBytes - before.residentBytes
        #expect(growth < 48 << 20, "resident memory grew by \(growth >> 20) MiB over 980 connections")
    }

    /// Waits (up to 10 s) until no connection is alive, and fails naming how many are.
    static func waitUntilFreed(_ references: [WeakConnection]) async throws {
        let freed = try? await poll(every: .milliseconds(50), for: .seconds(10), "every connection to be freed") { () -> Bool? in
            references.allSatisfy { $0.connection == nil } ? true : nil
        }
        let alive = references.filter { $0.connection != nil }.count
        #expect(freed == true && alive == 0, "\(alive) of \(references.count) connections are still alive")
    }
}
