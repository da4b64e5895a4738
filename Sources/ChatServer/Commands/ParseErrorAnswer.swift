/// Answers to lines that do not parse (`IRCParseError`), outside the
/// command table: the dispatcher hands them here.
///
/// Thread-safety: loop thread only (called from `IRCServer.handleLine`).
enum ParseErrorAnswer {
    static func send(_ error: IRCParseError, in line: UnsafeRawBufferPointer, to client: Client, on server: IRCServer) {
        // labeled-response: the error is the answer to the labelled line.
        if let label = LabeledResponse.label(inLine: line, from: client) {
            return LabeledResponse.respond(to: client, label: label, on: server) { unlabelled(error, in: line, to: client, on: server) }
        }
        unlabelled(error, in: line, to: client, on: server)
    }

    private static func unlabelled(_ error: IRCParseError, in line: UnsafeRawBufferPointer, to client: Client, on server: IRCServer) {
        switch error {
        case .forbiddenByte:
            server.reply(client, .unknownError, "*", error.description)
        // "FOO-BAR x": 421 like any unknown word (as the peers); 451 before registration.
        case .invalidCommand where client.isRegistered:
            server.reply(client, standard: .unknownCommand, IRCParseError.commandWord(in: line))
        case .invalidCommand:
            server.reply(client, standard: .notRegistered)
        case .emptySource, .missingCommand:
            break  // nothing that names a command: dropped, as before
        }
    }
}
