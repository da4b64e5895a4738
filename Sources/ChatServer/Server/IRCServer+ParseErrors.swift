/// Answers to lines that do not parse (`IRCParseError`).
extension IRCServer {
    func answer(_ error: IRCParseError, in line: UnsafeRawBufferPointer, from client: Client) {
        // labeled-response: the error is the answer to the labelled line.
        if let label = LabeledResponse.label(inLine: line, from: client) {
            return LabeledResponse.respond(to: client, label: label, on: self) { answerUnlabelled(error, in: line, from: client) }
        }
        answerUnlabelled(error, in: line, from: client)
    }

    private func answerUnlabelled(_ error: IRCParseError, in line: UnsafeRawBufferPointer, from client: Client) {
        switch error {
        case .forbiddenByte:
            reply(client, .unknownError, "*", error.description)
        // "FOO-BAR x": 421 like any unknown word (as the peers); 451 before registration.
        case .invalidCommand where client.isRegistered:
            reply(client, standard: .unknownCommand, IRCParseError.commandWord(in: line))
        case .invalidCommand:
            reply(client, standard: .notRegistered)
        case .emptySource, .missingCommand, .invalidTag:
            break  // nothing that names a command: dropped, as before
        }
    }
}
