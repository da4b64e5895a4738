import Foundation

/// Folders the tests made, removed when the test process exits: XCTest keeps
/// every test case (and the servers they hold) alive until then, so a
/// `tearDown` or `deinit` would remove a folder whose database is still open.
///
/// Thread-safety: any thread (the list is behind a lock).
enum TemporaryFolders {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: [String] = []
    nonisolated(unsafe) private static var registered = false

    static func removeAtExit(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        paths.append(path)
        guard !registered else { return }
        registered = true
        atexit { TemporaryFolders.removeAll() }
    }

    private static func removeAll() {
        lock.lock()
        let all = paths
        paths = []
        lock.unlock()
        for path in all { try? FileManager.default.removeItem(atPath: path) }
    }
}
