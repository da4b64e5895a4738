@testable import ChatServer
import CoreLoop
import Foundation
import GRDB
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// chatctl as a process against chatd as a process.
final class ChatctlTests: XCTestCase {
    let chatds = ChatdProcesses()

    override func tearDown() { chatds.removeAll() }

    /// Starts chatd and waits until it takes connections: its console
    /// socket is bound by then (just after the IRC port).
    func startChatd() throws -> ChatdProcess {
        let chatd = try chatds.start(dataDir: chatds.newDataDir())
        _ = try chatd.connect()
        return chatd
    }

    static var chatctlPath: String {
        URL(fileURLWithPath: ChatdProcess.binary).deletingLastPathComponent().appendingPathComponent("chatctl").path
    }

    /// Runs chatctl as a script would: `stdin` (else nothing) on its standard
    /// input, `environment` added to ours, and no terminal — in a session of
    /// its own (setsid), so a prompt can never stop a test on the terminal of
    /// whoever runs it. Returns exit status, stdout and stderr.
    func chatctl(_ args: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["--wait", Self.chatctlPath] + args
        var inherited = ProcessInfo.processInfo.environment
        inherited["CHATCTL_PASSWORD"] = nil
        process.environment = inherited.merging(environment) { $1 }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    func testKickFromChatctlIsSeenByTheOtherMember() throws {
        let server = try startChatd()
        let op = try server.connect(), bob = try server.connect()
        try op.register("op"); try bob.register("bob")
        try op.line("JOIN #lobby")
        try op.waitForNumeric("366")
        try bob.line("JOIN #lobby")
        try op.waitFor("bob joined") { $0.hasPrefix(":bob!") }
        let socket = server.dataDir + "/console.sock"

        let status = try chatctl(["status", "--socket", socket])
        XCTAssertEqual(status.status, 0, status.err)
        for field in ["version", "users", "connectionsRefused", "historyUnwritten", "loopLagMaxMillis"] {
            XCTAssertTrue(status.out.contains(field), "status shows \(field): \(status.out)")
        }
        XCTAssertFalse(status.out.contains(" ok "), "the protocol's ok flag is not a field")
        let callTable = status.out.components(separatedBy: "COMMAND").dropFirst().joined()
        XCTAssertTrue(callTable.contains("JOIN") && callTable.contains("NICK"), "calls per command as a table: \(status.out)")
        XCTAssertTrue(status.out.contains("handlerFailures"), status.out)

        let users = try chatctl(["users", "--socket", socket])
        XCTAssertEqual(users.status, 0, users.err)
        XCTAssertTrue(users.out.hasPrefix("NICK"), users.out)
        XCTAssertTrue(users.out.contains("bob"))

        let kicked = try chatctl(["kick", "#lobby", "bob", "no", "spamming", "--socket", socket])
        XCTAssertEqual(kicked.status, 0, kicked.err)
        try op.waitFor("kick") { $0 == ":proc.test KICK #lobby bob :no spamming" }
        try bob.waitFor("kick") { $0 == ":proc.test KICK #lobby bob :no spamming" }

        let again = try chatctl(["kick", "#lobby", "bob", "--socket", socket])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.err, "chatctl: bob is not on #lobby\n")

        let raw = try chatctl(["channels", "--json", "--socket", socket])
        XCTAssertTrue(raw.out.contains("\"ok\" : true"), raw.out)
        let channels = try chatctl(["channels", "--socket", socket]).out.split(separator: "\n")
        XCTAssertEqual(channels.first?.split(separator: " "), ["CHANNEL", "MEMBERS", "MODES", "TOPIC"])
        XCTAssertEqual(channels.last?.split(separator: " ").first, "#lobby")
    }

    func testGlobalOptionsGoBeforeOrAfterTheSubcommand() throws {
        let server = try startChatd()
        let socket = server.dataDir + "/console.sock"
        for args in [["--socket", socket, "status"], ["status", "--socket", socket], ["--socket=\(socket)", "status"]] {
            let status = try chatctl(args)
            XCTAssertEqual(status.status, 0, "\(args): \(status.err)")
            XCTAssertTrue(status.out.contains("uptimeSeconds"), "\(args): \(status.out)")
        }
        for args in [["--json", "--socket", socket, "users"], ["--socket", socket, "users", "--json"], ["users", "--json", "--socket", socket]] {
            let raw = try chatctl(args)
            XCTAssertEqual(raw.status, 0, "\(args): \(raw.err)")
            XCTAssertTrue(raw.out.contains("\"ok\" : true"), "\(args): \(raw.out)")
        }
        let nested = try chatctl(["--socket", socket, "accounts", "create", "kim", "--password-stdin"], stdin: "long password\n")
        XCTAssertEqual(nested.status, 0, nested.err)
        XCTAssertTrue(try chatctl(["--socket", socket, "accounts"]).out.contains("kim"), "the default subcommand too")
        let elsewhere = try chatctl(["--socket", "/tmp/no-such-chatd.sock", "status"])
        XCTAssertEqual(elsewhere.status, 69, "the path given before the subcommand is the one used")
        XCTAssertTrue(try chatctl(["--help"]).out.contains("--socket"), "the root's help lists the global options")
    }

    func testShutdownFromChatctlEndsTheDaemonCleanly() throws {
        let server = try startChatd()
        let alice = try server.connect()
        try alice.register("alice")
        try alice.line("JOIN #log")
        for i in 1...5 { try alice.line("PRIVMSG #log :kept \(i)") }
        try alice.line("PING :sent")
        try alice.waitFor("pong") { $0.contains("sent") }

        let result = try chatctl(["shutdown", "--grace", "2", "--message", "maintenance", "--socket", server.dataDir + "/console.sock"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try alice.readToEnd().last, "ERROR :Closing Link: 127.0.0.1 (maintenance)")
        XCTAssertEqual(try server.waitForExit(), 0, server.log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.dataDir + "/console.sock"), "socket file removed")
        let db = try DatabaseQueue(path: server.dataDir + "/chatd.sqlite")
        XCTAssertEqual(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM message") }, 5, "history is on disk")
    }

    func testArgumentErrorsAndAServerThatIsNotRunning() throws {
        let missing = try chatctl(["kick", "#lobby"])
        XCTAssertEqual(missing.status, 64, "usage error")
        XCTAssertTrue(missing.err.contains("Missing expected argument"), missing.err)
        let badGrace = try chatctl(["shutdown", "--grace", "-3"])
        XCTAssertEqual(badGrace.status, 64)
        let noFile = try chatctl(["match", "ingest", "/no/such/events.jsonl", "--socket", "/tmp/no-such-chatd.sock"])
        XCTAssertEqual(noFile.status, 66, "sysexits EX_NOINPUT, before the server is asked")
        XCTAssertEqual(noFile.err, "chatctl: cannot read /no/such/events.jsonl: No such file or directory\n")
        let notRunning = try chatctl(["status", "--socket", "/tmp/no-such-chatd.sock"])
        XCTAssertEqual(notRunning.status, 69)
        XCTAssertEqual(notRunning.err, "chatctl: chatd is not running (no console socket at /tmp/no-such-chatd.sock)\n")
        let help = try chatctl(["--help"])
        XCTAssertEqual(help.status, 0)
        for verb in ["status", "users", "channels", "kick", "disconnect", "wall", "topic", "shutdown"] {
            XCTAssertTrue(help.out.contains(verb), "help lists \(verb)")
        }
    }

    func testReloadFromChatctlChangesTheMotdAndRefusesABadFile() throws {
        let server = try startChatd()
        let socket = server.dataDir + "/console.sock"
        let early = try server.connect()
        try early.register("early")
        try """
        {"serverName": "proc.test", "motd": "Fresh news", "limits": {"floodLinesPerSecond": 0}}
        """.write(toFile: server.configPath, atomically: true, encoding: .utf8)
        let reloaded = try chatctl(["reload", "--socket", socket])
        XCTAssertEqual(reloaded.status, 0, reloaded.err)
        let later = try server.connect()
        try later.line("NICK later")
        try later.line("USER later 0 * :L")
        try later.waitFor("new motd") { $0.hasSuffix(":- Fresh news") }

        try #"{"limits": {"nickLength": "long"}}"#.write(toFile: server.configPath, atomically: true, encoding: .utf8)
        let refused = try chatctl(["reload", "--socket", socket])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("reload refused, old configuration kept") && refused.err.contains("limits.nickLength"), refused.err)
        try early.line("PING :still-here")
        try early.waitFor("pong") { $0.hasSuffix("still-here") }

        let created = try chatctl(["accounts", "create", "zoe", "--password-stdin", "--socket", socket], stdin: "long password\n")
        XCTAssertEqual(created.status, 0, created.err)
        let listed = try chatctl(["accounts", "--socket", socket]).out.split(separator: "\n")
        XCTAssertEqual(listed.first?.split(separator: " "), ["ACCOUNT", "EMAIL", "CREATED", "OPERATOR"])
        XCTAssertEqual(listed.last?.split(separator: " ").first, "zoe")
        XCTAssertEqual(listed.last?.split(separator: " ").last, "no", "operator shown as yes/no")
        let negative = try chatctl(["ban", "--account", "zoe", "--duration", "-5", "--socket", socket])
        XCTAssertEqual(negative.status, 64, "a negative duration is a usage error")
        XCTAssertTrue(negative.err.contains("duration"), "says which value is wrong, not 'Missing value': \(negative.err)")
        let banned = try chatctl(["ban", "--account", "zoe", "--duration", "2h", "--socket", socket])
        XCTAssertEqual(banned.status, 0, banned.err)
        let bans = try chatctl(["bans", "--socket", socket]).out.split(separator: "\n")
        XCTAssertEqual(bans.first?.split(separator: " "), ["KIND", "PATTERN", "SET", "EXPIRES", "REASON"])
        XCTAssertTrue(bans.last?.contains("zoe") ?? false, "\(bans)")
        let raw = try chatctl(["bans", "--json", "--socket", socket]).out
        let listing = try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any]
        let ban = (listing?["bans"] as? [[String: Any]])?.first
        let stamp = ISO8601DateFormatter()
        stamp.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let set = (ban?["setAt"] as? String).flatMap(stamp.date(from:))
        let expires = (ban?["expiresAt"] as? String).flatMap(stamp.date(from:))
        XCTAssertEqual(expires.flatMap { e in set.map { e.timeIntervalSince($0) } }, 7200, "2h is 7,200 s: \(raw)")
        XCTAssertEqual(try chatctl(["ban", "--socket", socket]).status, 64, "needs --account or --mask")
    }

    /// Logs `account` in with PASS; true on 900 (logged in), false on 464.
    func logsIn(_ server: ChatdProcess, _ account: String, _ password: String) throws -> Bool {
        let client = try server.connect()
        try client.line("PASS :\(account):\(password)")
        try client.line("NICK n\(UInt16.random(in: 0...9999))")
        try client.line("USER u 0 * :U")
        let answer = try client.waitForNumeric("900", "464")
        return try IRCMessage(parsing: answer).command == "900"
    }

    func testPasswordsComeFromStdinTheEnvironmentOrTheTerminalNeverTheCommandLine() throws {
        let server = try startChatd()
        let socket = server.dataDir + "/console.sock"

        let piped = try chatctl(["accounts", "create", "zoe", "--password-stdin", "--socket", socket], stdin: "long password\r\nignored\n")
        XCTAssertEqual(piped.status, 0, piped.err)
        XCTAssertTrue(try logsIn(server, "zoe", "long password"), "the first line, without its line ending")

        let fromEnvironment = try chatctl(["accounts", "reset-password", "zoe", "--socket", socket],
                                          environment: ["CHATCTL_PASSWORD": "another password"])
        XCTAssertEqual(fromEnvironment.status, 0, fromEnvironment.err)
        XCTAssertTrue(try logsIn(server, "zoe", "another password"))

        let onTheCommandLine = try chatctl(["accounts", "create", "yan", "--password", "long password", "--socket", socket])
        XCTAssertEqual(onTheCommandLine.status, 64)
        XCTAssertTrue(onTheCommandLine.err.contains("--password is no longer accepted") && onTheCommandLine.err.contains("--password-stdin"),
                      onTheCommandLine.err)

        let noTerminal = try chatctl(["accounts", "create", "yan", "--socket", socket])
        XCTAssertEqual(noTerminal.status, 64)
        XCTAssertEqual(noTerminal.err, "chatctl: no terminal to ask for the password on: pipe it in with --password-stdin, or set CHATCTL_PASSWORD\n")
        let nothingPiped = try chatctl(["accounts", "reset-password", "zoe", "--password-stdin", "--socket", socket], stdin: "")
        XCTAssertEqual(nothingPiped.status, 64)
        XCTAssertEqual(nothingPiped.err, "chatctl: no password given\n")
        XCTAssertFalse(try chatctl(["accounts", "--socket", socket]).out.contains("yan"), "no account made without a password")

        let typed = try chatctlOnTerminal(["accounts", "create", "pat", "--socket", socket],
                                          answers: [("Password for pat: ", "typed password"), ("Again: ", "typed password")])
        XCTAssertEqual(typed.status, 0, typed.screen)
        XCTAssertTrue(typed.screen.contains("account pat created"), typed.screen)
        XCTAssertFalse(typed.screen.contains("typed password"), "not echoed: \(typed.screen)")
        XCTAssertTrue(typed.echoAfterwards, "the terminal echoes again")
        XCTAssertTrue(try logsIn(server, "pat", "typed password"))

        let typo = try chatctlOnTerminal(["accounts", "reset-password", "pat", "--socket", socket],
                                         answers: [("Password for pat: ", "new password"), ("Again: ", "new pasword")])
        XCTAssertEqual(typo.status, 64, typo.screen)
        XCTAssertTrue(typo.screen.contains("chatctl: the passwords differ"), typo.screen)
        XCTAssertTrue(try logsIn(server, "pat", "typed password"), "unchanged")

        // ^C at the prompt ends chatctl as SIGINT does, and leaves the terminal echoing.
        let interrupted = try chatctlOnTerminal(["accounts", "reset-password", "pat", "--socket", socket],
                                                answers: [("Password for pat: ", "\u{03}")])
        XCTAssertEqual(interrupted.status, 128 + SIGINT, interrupted.screen)
        XCTAssertTrue(interrupted.echoAfterwards, "the terminal echoes again after ^C")
    }

    /// Runs chatctl with a new pseudo-terminal as its controlling terminal, as
    /// from a person's shell; each answer is typed once its prompt shows.
    /// Returns the exit status (128 + the signal if one ended it), all the
    /// terminal showed, and whether it echoes input once chatctl is gone.
    func chatctlOnTerminal(_ args: [String], answers: [(prompt: String, text: String)]) throws
        -> (status: Int32, screen: String, echoAfterwards: Bool) {
        let (master, name) = try Self.openPseudoTerminal()
        defer { close(master) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
        posix_spawn_file_actions_adddup2(&actions, 0, 1)
        posix_spawn_file_actions_adddup2(&actions, 0, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // A new session (glibc's POSIX_SPAWN_SETSID, 0x80, before the file
        // actions): the terminal it then opens becomes its controlling one.
        // And the signal state a shell gives a foreground job, not this test
        // thread's: nothing blocked, the terminal's signals at their default.
        // (posix_spawn keeps the caller's mask and ignored signals; a test
        // thread that blocks SIGINT would make ^C at the prompt a no-op.)
        var noSignals = sigset_t(), terminalSignals = sigset_t()
        sigemptyset(&noSignals)
        sigemptyset(&terminalSignals)
        for signo in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGTSTP, SIGPIPE] { sigaddset(&terminalSignals, signo) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &terminalSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | 0x80)
        var environment = ProcessInfo.processInfo.environment
        environment["CHATCTL_PASSWORD"] = nil
        let argv = ([Self.chatctlPath] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, Self.chatctlPath, &actions, &attributes, argv, envp)
        guard spawned == 0 else { throw IOError(errnoCode: spawned, function: "posix_spawn") }

        var screen: [UInt8] = []
        var pending = answers[...]
        var buffer = [UInt8](repeating: 0, count: 4096)
        func drain(waitMillis: Int32) {
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            while poll(&pfd, 1, waitMillis) > 0 {
                let n = read(master, &buffer, buffer.count)
                guard n > 0 else { return }  // EIO once the child has closed the terminal
                screen += buffer[0..<n]
            }
        }
        var raw: Int32 = 0
        let deadline = Date().addingTimeInterval(30)
        while waitpid(pid, &raw, WNOHANG) != pid {
            guard Date() < deadline else {
                kill(pid, SIGKILL)
                waitpid(pid, &raw, 0)
                throw LoopbackTimeout(waitingFor: "chatctl on a terminal, which shows: \(String(decoding: screen, as: UTF8.self))")
            }
            drain(waitMillis: 20)
            if let answer = pending.first, String(decoding: screen, as: UTF8.self).hasSuffix(answer.prompt),
               Self.isReadingASecret(master, foreground: pid) {
                let typed = Array((answer.text + "\n").utf8)
                _ = write(master, typed, typed.count)
                pending = pending.dropFirst()
            }
        }
        // Until the terminal's last descriptor is gone (EIO): what chatctl
        // wrote just before it exited may still be on its way to this end
        // when waitpid already reports the exit.
        drain(waitMillis: 5000)
        var modes = termios()
        tcgetattr(master, &modes)  // a Linux pseudo-terminal's two ends share their modes
        let signal = raw & 0x7F
        return (signal == 0 ? (raw >> 8) & 0xFF : 128 + signal, String(decoding: screen, as: UTF8.self),
                modes.c_lflag & tcflag_t(ECHO) != 0)
    }

    /// Whether the terminal is in the state an answer to a password prompt
    /// assumes: `pid` its foreground process group (a ^C signals it) and
    /// echo off (chatctl set its modes before the prompt).
    static func isReadingASecret(_ master: Int32, foreground pid: pid_t) -> Bool {
        var modes = termios()
        return tcgetpgrp(master) == pid && tcgetattr(master, &modes) == 0 && modes.c_lflag & tcflag_t(ECHO) == 0
    }

    /// A new pseudo-terminal: the master's descriptor and the path of the
    /// other end. Swift's Glibc module leaves out the X/Open functions for
    /// it (posix_openpt, grantpt, unlockpt, ptsname), so they are looked up
    /// by name in the C library.
    static func openPseudoTerminal() throws -> (master: Int32, path: String) {
        func function<F>(_ name: String, as type: F.Type) throws -> F {
            guard let symbol = dlsym(nil, name) else { throw XCTSkip("no \(name) in the C library") }
            return unsafeBitCast(symbol, to: type)
        }
        let openpt = try function("posix_openpt", as: (@convention(c) (Int32) -> Int32).self)
        let grantpt = try function("grantpt", as: (@convention(c) (Int32) -> Int32).self)
        let unlockpt = try function("unlockpt", as: (@convention(c) (Int32) -> Int32).self)
        let ptsname = try function("ptsname", as: (@convention(c) (Int32) -> UnsafeMutablePointer<CChar>?).self)
        let master = openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw IOError(errnoCode: errno, function: "posix_openpt") }
        guard grantpt(master) == 0, unlockpt(master) == 0, let name = ptsname(master) else {
            let code = errno
            close(master)
            throw IOError(errnoCode: code, function: "unlockpt")
        }
        return (master, String(cString: name))
    }
}
