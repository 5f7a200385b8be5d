import CLibFuzzer

#if canImport(Glibc)
import Glibc
#endif

/// Runs a fuzz target under libFuzzer.
///
/// SwiftPM gives every executable a `main` of its own (it renames the
/// module's entry point and points `main` at it), so libFuzzer's `main` is
/// never linked. Each target's `main.swift` calls `FuzzDriver.run` instead,
/// which hands the command line to libFuzzer's `LLVMFuzzerRunDriver`.
public enum FuzzDriver {
    /// The target's body: called with each input's bytes.
    public typealias Body = (UnsafeBufferPointer<UInt8>) -> Void

    /// The body `run` was given (libFuzzer's callback is a C function, which
    /// cannot capture it).
    nonisolated(unsafe) private static var body: Body = { _ in }

    /// Runs libFuzzer with this process's arguments; returns its exit status.
    public static func run(_ body: @escaping Body) -> Never {
        Self.body = body
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            FuzzDriver.body(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
            return 0
        }
        exit(status)
    }
}
