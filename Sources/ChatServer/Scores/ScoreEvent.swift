/// One thing that happened in a match, with the score after it.
/// `seq` counts from 1 per match, without gaps, and is never reused.
///
/// Thread-safety: a value type; any thread.
public struct ScoreEvent: Equatable, Sendable {
    public var matchID: Int64
    public var seq: Int64
    public var type: ScoreEventType
    public var minute: Int
    public var team: TeamSide?
    public var player: String?
    public var text: String
    public var homeGoals: Int
    public var awayGoals: Int
    public var timeMillis: Int64

    public init(matchID: Int64, seq: Int64, type: ScoreEventType, minute: Int, team: TeamSide?, player: String?,
                text: String, homeGoals: Int, awayGoals: Int, timeMillis: Int64) {
        self.matchID = matchID
        self.seq = seq
        self.type = type
        self.minute = minute
        self.team = team
        self.player = player
        self.text = text
        self.homeGoals = homeGoals
        self.awayGoals = awayGoals
        self.timeMillis = timeMillis
    }
}
