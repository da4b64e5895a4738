import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs an `EventLoop` on its own thread for a test, and lets the test run
/// code on it and wait for the answer (with a timeout, never a fixed sleep).
final class LoopThread {
    let loop: EventLoop
    private let finished = DispatchSemaphore(value: 0)

    init() throws {
        loop = try EventLoop()
        // Threads inherit the signal mask: the loop thread must never take a
        // signal meant for a SignalSource.
        SignalSource.blockStandardSignals()
        let loop = self.loop
        let finished = self.finished
        let thread = Thread {
            try? loop.run()
            finished.signal()
        }
        thread.start()
    }

    /// Runs `body` on the loop thread and returns its result.
    func sync<T>(timeout: TimeInterval = 20, _ body: @escaping () throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        var result: Result<T, Error>!
        loop.execute {
            result = Result { try body() }
            done.signal()
        }
        guard done.wait(timeout: .now() + timeout) == .success else { throw TestTimeout(what: "loop task") }
        return try result.get()
    }

    /// Closes the loop on its thread (its descriptors with it; see
    /// `EventLoop.close`), which also ends `run()`, and waits for the thread.
    func shutdown() {
        if (try? sync { self.loop.close() }) == nil { loop.stop() }
        _ = finished.wait(timeout: .now() + 20)
    }
}

struct TestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Waits until `condition` holds, checking it on the loop thread, up to `timeout`.
func waitUntil(_ thread: LoopThread, timeout: TimeInterval = 20, _ what: String, _ condition: @escaping () -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try thread.sync(condition) { return }
        // Yield to the loop; a tight poll would compete with it for a core.
        usleep(2_000)
    }
    throw TestTimeout(what: what)
}
