import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The chatd processes and data folders one test made, and their clean-up.
/// Every child still running is killed *and reaped* before its files and
/// folder are removed: a SIGKILL alone returns at once, leaving a process
/// that may still hold (or write into) a folder being deleted, and a zombie.
///
/// Thread-safety: the test's thread only.
final class ChatdProcesses {
    private(set) var started: [ChatdProcess] = []
    private var dataDirs: [String] = []

    /// A data folder path of this test's own, removed by `removeAll()`.
    func newDataDir() -> String {
        let dir = ChatdProcess.temporaryDataDir()
        dataDirs.append(dir)
        return dir
    }

    func start(dataDir: String, port: Int? = nil, extraConfig: String = "") throws -> ChatdProcess {
        let process = try ChatdProcess(dataDir: dataDir, port: port, extraConfig: extraConfig)
        started.append(process)
        return process
    }

    /// Kills and reaps what still runs, then removes logs, configs and data folders.
    func removeAll() {
        for process in started {
            Self.killAndReap(process)
            process.removeFiles()
        }
        for dir in dataDirs { try? FileManager.default.removeItem(atPath: dir) }
        started = []
        dataDirs = []
    }

    /// SIGKILL, then waitpid until the child is gone. SIGKILL cannot be
    /// caught, so the wait is short. Foundation's Process also reaps its
    /// children, on a thread of its own; whichever waitpid comes second gets
    /// ECHILD, which here means the same thing: the child is gone.
    static func killAndReap(_ chatd: ChatdProcess) {
        guard chatd.process.isRunning else { return }
        let pid = chatd.process.processIdentifier
        kill(pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }
}
