import ArgumentParser
import ChatClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `chat`: the full-screen client by default, and subcommands for scripts.
///
/// Thread-safety: main thread.
@main
struct ChatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "A terminal client for chatd.",
        discussion: """
            Exit codes: 0 ok, 1 refused by the server, 2 not found, 3 corrupt transfer, 64 bad usage,
            69 cannot connect, 74 local file error, 75 timed out or disconnected, 77 log-in failed.
            """,
        subcommands: [Interactive.self, Send.self, Upload.self, Download.self, Files.self, Scores.self],
        defaultSubcommand: Interactive.self)

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failed as ChatExit {
            FileHandle.standardError.write(Data("chat: \(failed.failure)\n".utf8))
            Glibc.exit(failed.failure.exitCode)
        } catch {
            ChatCommand.exit(withError: error)
        }
    }
}

/// Runs a script session and turns its failure into the exit code.
func runScript(_ options: ConnectionOptions, timeout: Double, _ operation: @escaping (ScriptSession) -> Void) throws {
    let config = try options.clientConfig(mayPrompt: true, defaultNick: "chat")
    let session: ScriptSession
    do { session = try ScriptSession(config: config, timeoutSeconds: timeout) } catch {
        throw ChatExit(.cannotConnect("\(error)"))
    }
    if case .failure(let failure) = session.run(operation) { throw ChatExit(failure) }
}

/// Prints rows as aligned columns, or as JSON lines with `--json`.
func printTable(_ header: [String], _ rows: [[String]], json: Bool) {
    if json {
        for row in rows {
            var object: [String: String] = [:]
            for (k, v) in zip(header, row) { object[k] = v }
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
            print(String(decoding: data, as: UTF8.self))
        }
        return
    }
    let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max() ?? 0 }
    func line(_ cells: [String]) -> String {
        cells.enumerated().map { i, c in i == cells.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            .joined(separator: "  ")
    }
    print(line(header.map { $0.uppercased() }))
    for row in rows { print(line(row)) }
}
