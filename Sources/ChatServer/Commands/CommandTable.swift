/// Every command the server understands, by name. Handlers live in files by
/// topic; this is the one place that lists them.
///
/// Thread-safety: immutable after init; any thread.
public struct CommandTable {
    private var specs: [String: CommandSpec] = [:]
    /// Command names by slot.
    public private(set) var names: [String] = []

    public init(_ groups: [[CommandSpec]]) {
        for var spec in groups.joined() {
            precondition(specs[spec.name] == nil, "command \(spec.name) listed twice")
            spec.slot = names.count
            names.append(spec.name)
            specs[spec.name] = spec
        }
    }

    public subscript(_ name: String) -> CommandSpec? { specs[name] }

    public var count: Int { names.count }

    /// The table the server runs with.
    public static let standard = CommandTable([
        RegistrationCommands.all,
        ChannelCommands.all,
        MessageCommands.all,
        ModeCommands.all,
        QueryCommands.all,
        OperatorCommands.all,
        StatsCommands.all,
        RedactCommands.all,
        AccountCommands.all,
        HistoryCommands.all,
        MonitorCommands.all,
        SetnameCommands.all,
        HelpCommands.all,
        ScoreCommands.all,
        FileCommands.all,
        LinksCommands.all,
        SingleServerCommands.all,
        MetadataCommands.all,
        ReadMarkerCommands.all,
        BatchCommands.all,
    ])
}
