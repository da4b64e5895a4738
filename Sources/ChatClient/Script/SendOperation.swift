import ChatServer

/// `chat send --to TARGET TEXT`: joins a channel target first (channels
/// refuse messages from outside by default), sends the text, then a PING;
/// the PONG means every reply to the message has arrived, so an error
/// numeric before it is the message's failure.
///
/// Thread-safety: loop thread only.
public final class SendOperation {
    public let target: String
    public let lines: [String]
    private let token = "chat-sent"
    private var sent = false

    public init(target: String, text: String) {
        self.target = target
        // IRC lines cannot hold a newline: each line of the text is one message.
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    public func start(_ session: ScriptSession) {
        session.onMessage = { [unowned self, unowned session] m in self.receive(m, session) }
        if session.connection.isupport.isChannel(target) {
            session.connection.send(IRCMessage(command: "JOIN", params: [target]))
        } else {
            sendText(session)
        }
    }

    private func sendText(_ session: ScriptSession) {
        guard !sent else { return }
        sent = true
        for line in lines {
            for piece in session.connection.pieces(of: line, to: target) {
                session.connection.send(IRCMessage(command: "PRIVMSG", params: [target, piece]))
            }
        }
        session.connection.send(IRCMessage(command: "PING", params: [token]))
    }

    private func receive(_ m: IRCMessage, _ session: ScriptSession) {
        switch m.command {
        case "JOIN" where MessageDecoder.nickOf(m.source)?.lowercased() == session.connection.nick.lowercased():
            sendText(session)
        case "PONG" where m.params.last == token:
            session.succeed()
        case "401", "403":
            session.fail(.notFound(m.params.last.map { "\(target): \($0)" } ?? target))
        case "404", "405", "471", "473", "474", "475", "477", "412", "407":
            session.fail(.refused("\(target): \(m.params.last ?? m.command)"))
        default:
            break
        }
    }
}
