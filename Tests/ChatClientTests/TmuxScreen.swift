import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A terminal for the real `chat` binary: a detached tmux session on its
/// own server socket (so it never touches a user's tmux), driven with
/// `send-keys` and read with `capture-pane`, as a person at the keyboard
/// would use it.
///
/// Thread-safety: the test thread that made it.
final class TmuxScreen {
    let tmux: String
    let socket: String
    let session = "chat"

    /// tmux on PATH, or nil.
    static var executable: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { $0 + "/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts `command` in a `columns`×`rows` pane. The pane stays after the
    /// program exits, so its last screen (an error, a crash) can be read.
    init(tmux: String, folder: String, command: [String], columns: Int = 110, rows: Int = 30) throws {
        self.tmux = tmux
        socket = folder + "/tmux.sock"
        try run(["-f", "/dev/null", "new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)"] + command)
        try run(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    /// Runs one tmux command on this session's server; returns its output.
    ///
    /// posix_spawn and waitpid, not Foundation's Process: in this test
    /// process (an EventLoop on the thread) Process never noticed the tmux
    /// client exit, and waitUntilExit hung on a zombie.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let outPath = socket + ".out"
        // A file, not a pipe: the tmux server that `new-session` starts keeps
        // the descriptors it inherited, so a pipe would never reach EOF.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else of this process may live on in the tmux server (a
        // build lock, a pipe a parent waits on): it outlasts the command.
        Self.markDescriptorsCloseOnExec()
        let argv = [tmux, "-u", "-S", socket] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TMUX"] = nil
        environment["LANG"] = "C.UTF-8"
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = envp.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) }; cEnv.forEach { free($0) } }
        let rc = posix_spawn(&pid, tmux, &actions, nil, cArgs, cEnv)
        guard rc == 0 else { throw TmuxError(command: arguments, output: "posix_spawn: \(String(cString: strerror(rc)))") }
        // A tmux command takes milliseconds; 20 s means it is stuck.
        let deadline = Date().addingTimeInterval(20)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard Date() < deadline else {
                Glibc.kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                throw TmuxError(command: arguments, output: "still running after 20 s")
            }
            usleep(2_000)
        }
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0, spelled out (the macros are not imported).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { throw TmuxError(command: arguments, output: text) }
        return text
    }

    /// Sets FD_CLOEXEC on every descriptor above 2 (glibc's closefrom
    /// file action is not visible to Swift).
    private static func markDescriptorsCloseOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let fd = Int32(name), fd > 2 else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
        }
    }

    /// What the pane shows now.
    func screen() -> String { (try? run(["capture-pane", "-p", "-t", session])) ?? "" }

    /// Types `text` literally, then Enter.
    func type(_ text: String) throws {
        try run(["send-keys", "-t", session, "-l", text])
        try run(["send-keys", "-t", session, "Enter"])
    }

    func kill() { _ = try? run(["kill-server"]) }
}

/// A tmux command that failed, with what it printed.
///
/// Thread-safety: a value type; any thread.
struct TmuxError: Error, CustomStringConvertible {
    let command: [String]
    let output: String
    var description: String { "tmux \(command.joined(separator: " ")): \(output)" }
}
