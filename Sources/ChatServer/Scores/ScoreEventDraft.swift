/// An event as a source proposes it (simulator, console, ingest), before the
/// board checks it and gives it a seq and the score after it.
///
/// Thread-safety: a value type; any thread.
public struct ScoreEventDraft: Equatable, Sendable {
    public var matchID: Int64
    public var type: ScoreEventType
    public var minute: Int?
    public var team: TeamSide?
    public var player: String?
    /// nil: the board writes a sentence.
    public var text: String?

    public init(matchID: Int64, type: ScoreEventType, minute: Int? = nil, team: TeamSide? = nil,
                player: String? = nil, text: String? = nil) {
        self.matchID = matchID
        self.type = type
        self.minute = minute
        self.team = team
        self.player = player
        self.text = text
    }

    public static let maxMinute = 150
    public static let maxPlayerLength = 64
    public static let maxTextLength = 300
    public static let maxTeamNameLength = 48
}
