import ArgumentParser
import Foundation

/// `chatctl`: the admin CLI. The server's console socket (and with it every
/// verb) is the admin-console issue; until then this says so plainly and
/// fails, instead of pretending to work.
///
/// Thread-safety: a command-line program; one thread.
@main
struct ChatctlCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatctl",
        abstract: "Control a running chatd through its console socket.",
        discussion: "The console socket is not built yet: chatd has no admin socket to talk to.")

    @Option(name: .long, help: "The console socket (default: <dataDir>/console.sock).")
    var socket: String?

    func run() throws {
        FileHandle.standardError.write(Data("chatctl: chatd has no console socket yet; nothing to control\n".utf8))
        throw ExitCode(69)  // EX_UNAVAILABLE
    }
}
