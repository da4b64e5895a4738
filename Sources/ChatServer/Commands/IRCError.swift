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

    /// The numeric with its standard text (`Numeric.standardText`) after `params`.
    public init(standard numeric: Numeric, _ params: String...) {
        self.numeric = numeric
        self.params = params + [numeric.standardText ?? ""]
    }

    static func needMoreParams(_ command: String) -> IRCError {
        IRCError(standard: .needMoreParams, command)
    }
    static func noSuchNick(_ nick: String) -> IRCError {
        IRCError(standard: .noSuchNick, nick)
    }
    static func noSuchChannel(_ name: String) -> IRCError {
        IRCError(standard: .noSuchChannel, name)
    }
    static func notOnChannel(_ name: String) -> IRCError {
        IRCError(standard: .notOnChannel, name)
    }
    static func chanOpPrivsNeeded(_ name: String) -> IRCError {
        IRCError(standard: .chanOpPrivsNeeded, name)
    }
}
