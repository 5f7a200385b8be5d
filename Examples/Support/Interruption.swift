import Dispatch
import Foundation

/// SIGINT and SIGTERM as an async wait, so that a program can stop cleanly
/// (close its connection, print its summary) when interrupted.
public enum Interruption {
    /// Returns when the process receives SIGINT or SIGTERM.
    public static func wait() async {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        let sources = [SIGINT, SIGTERM].map { signalNumber in
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { continuation.yield(signalNumber) }
            source.resume()
            return source
        }
        await withTaskCancellationHandler {
            var iterator = stream.makeAsyncIterator()
            _ = await iterator.next()
        } onCancel: {
            continuation.finish()
        }
        for source in sources { source.cancel() }
        // A second Ctrl-C while the program winds down stops it at once.
        for signalNumber in [SIGINT, SIGTERM] { signal(signalNumber, SIG_DFL) }
    }
}
