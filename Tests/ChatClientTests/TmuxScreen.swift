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
/// The tmux server is this process's own child (`tmux -D`, not the usual
/// daemon), so `kill()` can wait for it: a daemonized server is an orphan
/// under PID 1, which here reaps late or not at all, and after a run one
/// was still alive (or a zombie) beside its socket's folder.
///
/// Thread-safety: the test thread that made it.
final class TmuxScreen {
    let tmux: String
    let socket: String
    let session = "chat"
    /// The tmux server (our child), until `kill()` has reaped it.
    private(set) var serverPID: pid_t?

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
        do {
            try startServer(log: folder + "/tmux-server.log")
            try run(["new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)"] + command)
            try run(["set-option", "-t", session, "remain-on-exit", "on"])
        } catch {
            kill()  // the server must not outlive a failed set-up either (tearDown never sees this screen)
            throw error
        }
    }

    /// Starts the server in the foreground (`-D`: it stays our child) and
    /// waits for its socket, or for it to exit.
    private func startServer(log: String) throws {
        let pid = try spawn(["-f", "/dev/null", "-D"], output: log)
        serverPID = pid
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: socket) {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                serverPID = nil
                throw TmuxError(command: ["-D"], output: "the server exited: " + ((try? String(contentsOfFile: log, encoding: .utf8)) ?? ""))
            }
            guard Date() < deadline else { throw TmuxError(command: ["-D"], output: "no socket after 20 s") }
            usleep(2_000)
        }
    }

    /// Runs one tmux command on this session's server; returns its output.
    ///
    /// posix_spawn and waitpid, not Foundation's Process: in this test
    /// process (an EventLoop on the thread) Process never noticed the tmux
    /// client exit, and waitUntilExit hung on a zombie.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let outPath = socket + ".out"
        let pid = try spawn(arguments, output: outPath)
        // A tmux command takes milliseconds; 20 s means it is stuck.
        guard let status = Self.reap(pid, within: 20) else {
            throw TmuxError(command: arguments, output: "still running after 20 s")
        }
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0, spelled out (the macros are not imported).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { throw TmuxError(command: arguments, output: text) }
        return text
    }

    /// `tmux -u -S <socket> arguments…` with stdout and stderr to `output`; its pid.
    private func spawn(_ arguments: [String], output: String) throws -> pid_t {
        // A file, not a pipe: the tmux server keeps the descriptors it
        // inherited, so a pipe would never reach EOF.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
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
        return pid
    }

    /// Waits up to `seconds` for our child `pid` to exit; its wait status,
    /// or nil after SIGKILL and a final wait when it did not.
    @discardableResult
    private static func reap(_ pid: pid_t, within seconds: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        var status: Int32 = 0
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { return status }
            if r < 0 && errno != EINTR { return nil }  // not ours, or already reaped
            guard Date() < deadline else {
                Glibc.kill(pid, SIGKILL)
                _ = waitpid(pid, &status, 0)
                return nil
            }
            usleep(2_000)
        }
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

    /// Ends the pane's program, then the server, and reaps the server.
    ///
    /// The pane first: a server that exits leaves its panes' processes
    /// orphaned (to PID 1), while one that stays sees them die and reaps
    /// them (`remain-on-exit` keeps the pane, so it says when).
    /// `kill-server` may race with the server's own start or be refused, so
    /// SIGKILL follows if the server has not exited within 10 s.
    func kill() {
        guard let server = serverPID else { return }
        if let pane = try? run(["display-message", "-p", "-t", session, "#{pane_pid} #{pane_dead}"]) {
            let fields = pane.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            if fields.count == 2, fields[1] != "1", let pid = pid_t(fields[0]), pid > 1 {
                Glibc.kill(pid, SIGKILL)
                let deadline = Date().addingTimeInterval(10)
                while Date() < deadline, (try? run(["display-message", "-p", "-t", session, "#{pane_dead}"]))?.hasPrefix("1") == false {
                    usleep(5_000)
                }
            }
        }
        _ = try? run(["kill-server"])
        Self.reap(server, within: 10)
        serverPID = nil
    }
}

/// A tmux command that failed, with what it printed.
///
/// Thread-safety: a value type; any thread.
struct TmuxError: Error, CustomStringConvertible {
    let command: [String]
    let output: String
    var description: String { "tmux \(command.joined(separator: " ")): \(output)" }
}
