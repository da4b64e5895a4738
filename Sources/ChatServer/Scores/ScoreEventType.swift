/// The kinds of event a match has, with what each does to the match.
///
/// `own-goal`: `team` is the side of the player who put the ball into his
/// own net, so the *other* side's score goes up.
///
/// Thread-safety: a value type; any thread.
public enum ScoreEventType: String, CaseIterable, Sendable {
    case kickoff
    case goal
    case ownGoal = "own-goal"
    case penaltyGoal = "penalty-goal"
    case penaltyMiss = "penalty-miss"
    case yellowCard = "yellow-card"
    case redCard = "red-card"
    case foul
    case corner
    case offside
    case save
    case substitution
    case halfTime = "half-time"
    case fullTime = "full-time"

    /// Events that happen to one side need a `team`.
    public var needsTeam: Bool {
        switch self {
        case .kickoff, .halfTime, .fullTime: return false
        default: return true
        }
    }

    /// The side whose score goes up, given the event's team.
    public func scoringSide(team: TeamSide?) -> TeamSide? {
        switch self {
        case .goal, .penaltyGoal: return team
        case .ownGoal: return team?.other
        default: return nil
        }
    }
}
