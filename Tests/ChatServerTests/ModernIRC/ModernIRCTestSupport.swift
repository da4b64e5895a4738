@testable import ChatServer
import Foundation

/// Helpers for the private-history, read-marker and multiline tests:
/// logged-in users (a second connection to the same account too) and the
/// texts of the messages among lines.
enum ModernIRCTestSupport {
    static let historyCaps = ["batch", "server-time", "message-tags", "draft/chathistory"]

    /// A registered user logged in to a new account of the same name (password `password-<nick>`).
    static func account(_ net: TestNet, _ nick: String, caps: [String] = []) -> TestUser {
        FileTestSupport.account(net, nick, caps: caps)
    }

    /// Another connection, as `nick`, logged in to the existing `account` with SASL.
    static func secondLogin(_ net: TestNet, _ nick: String, account: String, caps: [String] = []) -> TestUser {
        let u = net.user(nick, caps: caps + ["sasl"])
        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + Data("\0\(account)\0password-\(account)".utf8).base64EncodedString())
        _ = u.lines()
        precondition(u.client?.account != nil, "\(nick) did not log in to \(account)")
        return u
    }

    /// The text of each PRIVMSG and NOTICE among `lines`, in order.
    static func texts(_ lines: [String]) -> [String] {
        lines.compactMap { try? IRCMessage(parsing: $0) }.filter { ["PRIVMSG", "NOTICE"].contains($0.command) }.map { $0.params[1] }
    }

    /// The parsed lines.
    static func parsed(_ lines: [String]) -> [IRCMessage] { lines.compactMap { try? IRCMessage(parsing: $0) } }
}
