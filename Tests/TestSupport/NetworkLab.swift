import Foundation

/// Network namespaces a test builds for itself (`ip netns`), joined by veth
/// pairs and bridges, with nftables rules: home routers, NATs and broken
/// paths on one machine. Every namespace, and so every interface and rule in
/// it, is removed by ``tearDown()`` (also on deinit).
///
/// Needs root (CI runs as root), iproute2 and nftables; without them the
/// initializer throws a message saying what is missing.
public final class NetworkLab: @unchecked Sendable {
    /// A command of the lab that failed, with what it said.
    public struct Failure: Error, CustomStringConvertible {
        /// The command and its error output.
        public var description: String

        /// A failure described by `description`.
        public init(description: String) { self.description = description }
    }

    /// A short prefix unique to this lab, so parallel tests never collide.
    public let prefix: String
    private var namespaces: [String] = []
    private let lock = NSLock()

    /// The `ip` and `nft` executables.
    public static let ipPath = ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip"].first { FileManager.default.isExecutableFile(atPath: $0) }
    public static let conntrackPath = ["/usr/sbin/conntrack", "/sbin/conntrack", "/usr/bin/conntrack"].first { FileManager.default.isExecutableFile(atPath: $0) }
    public static let nftPath = ["/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Checks the tools and privileges.
    public init() throws {
        guard Self.ipPath != nil else { throw Failure(description: "ip (iproute2) is not installed: run scripts/bootstrap") }
        guard Self.nftPath != nil else { throw Failure(description: "nft (nftables) is not installed: run scripts/bootstrap") }
        guard geteuid() == 0 else { throw Failure(description: "network-namespace tests need root (ip netns add)") }
        prefix = "swl" + String(UInt32.random(in: 0x10_0000...0xFF_FFFF), radix: 16)
    }

    deinit { tearDown() }

    /// Creates namespace `prefix-name` with its loopback up, and returns its name.
    @discardableResult
    public func addNamespace(_ name: String) async throws -> String {
        let full = "\(prefix)-\(name)"
        try await Self.run([Self.ipPath!, "netns", "add", full])
        lock.withLock { namespaces.append(full) }
        try await exec(full, [Self.ipPath!, "link", "set", "lo", "up"])
        return full
    }

    /// A veth pair between two namespaces: interface `aName` in `a` with
    /// `aAddress` (CIDR, or nil for none) and `bName` in `b` with `bAddress`.
    public func link(_ a: String, _ aName: String, _ aAddress: String?, to b: String, _ bName: String, _ bAddress: String?) async throws {
        try await Self.run([Self.ipPath!, "link", "add", aName, "netns", a, "type", "veth", "peer", "name", bName, "netns", b])
        for (namespace, interface, address) in [(a, aName, aAddress), (b, bName, bAddress)] {
            if let address { try await exec(namespace, [Self.ipPath!, "addr", "add", address, "dev", interface]) }
            try await exec(namespace, [Self.ipPath!, "link", "set", interface, "up"])
        }
    }

    /// A bridge `name` in `namespace` with `address`, for several veths to share one segment.
    public func addBridge(_ name: String, in namespace: String, address: String) async throws {
        try await exec(namespace, [Self.ipPath!, "link", "add", name, "type", "bridge"])
        try await exec(namespace, [Self.ipPath!, "addr", "add", address, "dev", name])
        try await exec(namespace, [Self.ipPath!, "link", "set", name, "up"])
    }

    /// Attaches `interface` to `bridge` in `namespace`.
    public func attach(_ interface: String, to bridge: String, in namespace: String) async throws {
        try await exec(namespace, [Self.ipPath!, "link", "set", interface, "master", bridge])
    }

    /// Forgets every UDP mapping (conntrack entry) in `namespace`, as a NAT
    /// that rebinds does.
    public func forgetUDPMappings(in namespace: String) async throws {
        guard let conntrack = Self.conntrackPath else {
            throw Failure(description: "conntrack (conntrack-tools) is not installed: run scripts/bootstrap")
        }
        // conntrack -D exits 1 when it deleted nothing; that is fine too.
        _ = try? await exec(namespace, [conntrack, "-D", "-p", "udp"])
    }

    /// Loads an nftables ruleset (text, as `nft -f` reads it) into `namespace`.
    public func nft(_ namespace: String, _ ruleset: String) async throws {
        try await exec(namespace, [Self.nftPath!, "-f", "-"], input: ruleset)
    }

    /// Runs `command` in `namespace` and returns its standard output; throws with its stderr on failure.
    @discardableResult
    public func exec(_ namespace: String, _ command: [String], input: String? = nil) async throws -> String {
        try await Self.run([Self.ipPath!, "netns", "exec", namespace] + command, input: input)
    }

    /// The `ip netns exec` prefix for starting a long-running program in `namespace`.
    public func prefix(for namespace: String) -> [String] { [Self.ipPath!, "netns", "exec", namespace] }

    /// Removes every namespace this lab made (their interfaces and rules go with them).
    public func tearDown() {
        let made = lock.withLock { () -> [String] in
            defer { namespaces = [] }
            return namespaces
        }
        for namespace in made.reversed() {
            _ = try? Self.runBlocking([Self.ipPath!, "netns", "del", namespace])
        }
    }

    /// Runs `command` on a Dispatch thread (a child process is waited for
    /// there, never on one of the two cooperative threads the tests share).
    @discardableResult
    static func run(_ command: [String], input: String? = nil) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(command, input: input) })
            }
        }
    }

    @discardableResult
    static func runBlocking(_ command: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        let inputPipe = input.map { _ in Pipe() }
        if let inputPipe { process.standardInput = inputPipe }
        try process.run()
        if let input, let inputPipe {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inputPipe.fileHandleForWriting.close()
        }
        let outData = output.fileHandleForReading.readDataToEndOfFile()
        let errData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(command.joined(separator: " ")) failed (\(process.terminationStatus)): \(String(decoding: errData, as: UTF8.self))")
        }
        return String(decoding: outData, as: UTF8.self)
    }
}
