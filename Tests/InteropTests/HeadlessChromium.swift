import Foundation
import TestSupport

/// A headless Chromium started for a test, with its DevTools endpoint.
///
/// It is found through `$CHROMIUM`, else `chromium`, `chromium-browser` or
/// `google-chrome` on the `PATH`; a missing browser is a test failure, never
/// a skip (scripts/bootstrap installs it).
final class HeadlessChromium {
    struct NotFound: Error, CustomStringConvertible {
        var description: String {
            "Chromium was not found: set CHROMIUM or install it (scripts/bootstrap installs the chromium package)"
        }
    }

    /// Flags that let fake media devices stream over loopback without prompts.
    static let flags = [
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--no-first-run", "--no-default-browser-check", "--disable-extensions",
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        "--allow-loopback-in-peer-connection", "--autoplay-policy=no-user-gesture-required",
        "--disable-features=WebRtcHideLocalIpsWithMdns",
        "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*",
    ]

    let process: Process
    let profile: URL
    /// `ws://127.0.0.1:PORT/devtools/browser/ID`.
    let devToolsURL: String

    private init(process: Process, profile: URL, devToolsURL: String) {
        self.process = process
        self.profile = profile
        self.devToolsURL = devToolsURL
    }

    static func executable() throws -> String {
        if let path = ProcessInfo.processInfo.environment["CHROMIUM"], FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        for name in ["chromium", "chromium-browser", "google-chrome"] {
            for directory in directories where FileManager.default.isExecutableFile(atPath: "\(directory)/\(name)") {
                return "\(directory)/\(name)"
            }
        }
        throw NotFound()
    }

    /// Starts Chromium and waits (bounded) until its DevTools endpoint is up.
    /// (On loopback Chromium does not hide addresses behind mDNS names
    /// anyway; `NamespacedChromium` runs it in its default mode.)
    static func launch() async throws -> HeadlessChromium {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("swift-webrtc-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = flags + ["--user-data-dir=\(profile.path)", "about:blank"]
        let log = FileHandle(forWritingAtPath: "/dev/null")
        process.standardOutput = log
        process.standardError = log
        try process.run()
        // Chromium writes the chosen port and the browser target path into this file.
        let portFile = profile.appendingPathComponent("DevToolsActivePort")
        do {
            let url = try await poll(for: .seconds(30), "Chromium's DevTools endpoint") { () -> String? in
                guard process.isRunning else { throw DeadlineExceeded(what: "Chromium exited with status \(process.terminationStatus) before DevTools came up") }
                guard let text = try? String(contentsOf: portFile, encoding: .utf8) else { return nil }
                let lines = text.split(separator: "\n")
                guard lines.count >= 2 else { return nil }
                return "ws://127.0.0.1:\(lines[0])\(lines[1])"
            }
            return HeadlessChromium(process: process, profile: profile, devToolsURL: url)
        } catch {
            process.terminate()
            try? FileManager.default.removeItem(at: profile)
            throw error
        }
    }

    /// Stops the browser (bounded) and removes its profile.
    func stop() async {
        if process.isRunning {
            process.terminate()
            _ = try? await poll(every: .milliseconds(100), for: .seconds(5), "Chromium to exit") { [process] in
                process.isRunning ? nil : true
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: profile)
    }
}


/// A headless Chromium in a network namespace of a `NetworkLab`, driven over
/// its DevTools pipe (its WebSocket endpoint would be in the other network).
/// Its host candidates are hidden behind mDNS names, as by default.
final class NamespacedChromium: @unchecked Sendable {
    let process: Process
    let profile: URL
    let devTools: DevToolsConnection

    private init(process: Process, profile: URL, devTools: DevToolsConnection) {
        self.process = process
        self.profile = profile
        self.devTools = devTools
    }

    /// Starts Chromium in `namespace`, treating `origin` (an http:// page
    /// server in the lab) as secure. Without the fake camera and its
    /// permission (Chromium reveals host addresses to pages that were
    /// granted a camera), host candidates carry mDNS names.
    static func launch(in lab: NetworkLab, namespace: String, secureOrigin origin: String) async throws -> NamespacedChromium {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("swift-webrtc-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        let dropped: Set<String> = [
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*",
            "--allow-loopback-in-peer-connection", "--disable-features=WebRtcHideLocalIpsWithMdns",
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        ]
        let flags = HeadlessChromium.flags.filter { !dropped.contains($0) } + [
            "--remote-debugging-pipe", "--unsafely-treat-insecure-origin-as-secure=\(origin)", "--user-data-dir=\(profile.path)", "about:blank",
        ]
        let process = Process()
        let prefix = lab.prefix(for: namespace)
        process.executableURL = URL(fileURLWithPath: prefix[0])
        // The pipe is the browser's fd 3 (commands in) and fd 4 (replies out):
        // a shell moves our stdin and stdout pipes there before exec.
        process.arguments = Array(prefix.dropFirst()) + [
            "/bin/sh", "-c", #"exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null 2>/dev/null"#, try HeadlessChromium.executable(),
        ] + flags
        let commands = Pipe()
        let replies = Pipe()
        process.standardInput = commands
        process.standardOutput = replies
        try process.run()
        let pipe = DevToolsPipe(commands: commands.fileHandleForWriting, replies: replies.fileHandleForReading)
        let devTools = DevToolsConnection(channel: pipe)
        do {
            _ = try await withDeadline(.seconds(30), "Chromium's DevTools pipe") { try await devTools.browserVersion() }
        } catch {
            kill(process.processIdentifier, SIGKILL)
            try? FileManager.default.removeItem(at: profile)
            throw error
        }
        return NamespacedChromium(process: process, profile: profile, devTools: devTools)
    }

    /// Closes the browser (bounded), kills it if it lingers, and removes its profile.
    func stop() async {
        let devTools = self.devTools
        _ = try? await withDeadline(.seconds(5), "Chromium to close") { await devTools.closeBrowser() }
        _ = try? await poll(every: .milliseconds(100), for: .seconds(5), "Chromium to exit") { [process] in
            process.isRunning && !PackageProgram.hasEnded(process.processIdentifier) ? nil : true
        }
        if process.isRunning, !PackageProgram.hasEnded(process.processIdentifier) { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(at: profile)
    }
}
