/// One slash command: its name, usage, a line of help, the fewest words it
/// needs, and what it does. The table (`UICommand.table`) is the one place
/// that lists them; /help and tab completion read it.
///
/// Thread-safety: a value type; its `run` is called on the loop thread.
public struct UICommand {
    public let name: String
    public let usage: String
    public let summary: String
    public let minArguments: Int
    let run: (ChatApp, CommandArguments) -> Void

    init(_ name: String, _ usage: String, _ summary: String, min: Int = 0, _ run: @escaping (ChatApp, CommandArguments) -> Void) {
        self.name = name
        self.usage = usage
        self.summary = summary
        self.minArguments = min
        self.run = run
    }

    public static let table: [UICommand] =
        ChannelCommands.all + MessageCommands.all + WindowCommands.all + AccountCommands.all + FileCommands.all + ScoreCommands.all

    public static func named(_ name: String) -> UICommand? { table.first { $0.name == name } }
}
