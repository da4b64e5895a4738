/// A command failed with a numeric reply for the client. Handlers throw it;
/// the dispatcher sends it. The client's nick is filled in on sending.
///
/// Thread-safety: a value type; any thread.
public struct IRCError: Error, Equatable {
    public let numeric: Numeric
    public let params: [String]

    public init(_ numeric: Numeric, _ params: String...) {
        self.numeric = numeric
        self.params = params
    }

    static func needMoreParams(_ command: String) -> IRCError {
        IRCError(.needMoreParams, command, "Not enough parameters")
    }
    static func noSuchNick(_ nick: String) -> IRCError {
        IRCError(.noSuchNick, nick, "No such nick/channel")
    }
    static func noSuchChannel(_ name: String) -> IRCError {
        IRCError(.noSuchChannel, name, "No such channel")
    }
    static func notOnChannel(_ name: String) -> IRCError {
        IRCError(.notOnChannel, name, "You're not on that channel")
    }
    static func chanOpPrivsNeeded(_ name: String) -> IRCError {
        IRCError(.chanOpPrivsNeeded, name, "You're not channel operator")
    }
}
