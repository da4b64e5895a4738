import ArgumentParser
import ChatClient

/// `chat send --to TARGET TEXT`: one message (or one per line of TEXT), then quit.
///
/// Thread-safety: main thread.
struct Send: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send a message to a channel or a nick, then exit.")

    @OptionGroup var options: ConnectionOptions
    @Option(help: "A channel (#lobby) or a nick.") var to: String
    @Option(help: "Seconds to wait for the server.") var timeout: Double = 15
    @Argument(help: "The text (each line is one message).") var text: [String]

    func run() throws {
        let message = text.joined(separator: " ")
        guard !message.isEmpty else { throw ChatExit(.usage("nothing to send")) }
        let operation = SendOperation(target: to, text: message)
        try runScript(options, timeout: timeout) { operation.start($0) }
    }
}
