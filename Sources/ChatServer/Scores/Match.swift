/// One football match and its state after its latest event.
///
/// Thread-safety: a value type; any thread.
public struct Match: Equatable, Sendable {
    public var id: Int64
    public var home: String
    public var away: String
    public var status: MatchStatus
    public var minute: Int
    public var homeGoals: Int
    public var awayGoals: Int
    /// Wall-clock time the match was created, milliseconds since 1970.
    public var startMillis: Int64
    /// The seq of the latest event (0 before the first).
    public var lastSeq: Int64
    /// Created by the simulator, which plays only these: a match an
    /// operator creates is fed by the operator alone.
    public var simulated: Bool

    public init(id: Int64, home: String, away: String, status: MatchStatus = .scheduled, minute: Int = 0,
                homeGoals: Int = 0, awayGoals: Int = 0, startMillis: Int64, lastSeq: Int64 = 0, simulated: Bool = false) {
        self.id = id
        self.home = home
        self.away = away
        self.status = status
        self.minute = minute
        self.homeGoals = homeGoals
        self.awayGoals = awayGoals
        self.startMillis = startMillis
        self.lastSeq = lastSeq
        self.simulated = simulated
    }

    /// `#match-<id>`
    public var roomName: String { Self.roomName(id) }
    public static func roomName(_ id: Int64) -> String { "#match-\(id)" }

    public func teamName(_ side: TeamSide) -> String { side == .home ? home : away }

    /// The live-score topic: `Home FC 2–1 Away United, 67'` (with the status
    /// instead of the minute before kick-off, at half-time and at the end).
    public var scoreline: String {
        let score = "\(home) \(homeGoals)–\(awayGoals) \(away)"
        switch status {
        case .scheduled: return "\(score), not started"
        case .live: return "\(score), \(minute)'"
        case .halfTime: return "\(score), half-time"
        case .finished: return "\(score), full-time"
        }
    }
}
