/// The live-score demo: invented teams playing matches with a realistic mix
/// of events, in matches of its own (`Match.simulated`): a match created
/// with `chatctl match create` is left to whoever feeds it. Each step proposes one change from the ledger as it stands;
/// under the same seed the same ledger gets the same change.
///
/// A match: kick-off at 0', events every few minutes, half-time at 45',
/// the second half from 46', full-time from 90' (plus a little stoppage
/// time). When fewer than `matches` are unfinished, a new one is created
/// between two teams not playing at the time; at `maxMatches` the oldest
/// finished match is retired to make room, so the demo runs for ever.
///
/// Thread-safety: a value type; the board's copy is loop-thread only.
struct ScoreSimulator: Equatable {
    private var random: SplitMix64
    let matches: Int
    let maxMatches: Int

    init(seed: UInt64, matches: Int, maxMatches: Int) {
        random = SplitMix64(seed: seed)
        self.matches = matches
        self.maxMatches = maxMatches
    }

    static let teams = [
        "Riverside Rovers", "Northgate United", "Harbour City", "Ashford Athletic", "Kingsbridge Town",
        "Millbrook Wanderers", "Eastfield Albion", "Stonehaven FC", "Westmoor Rangers", "Lakeside Villa",
        "Oakdale County", "Redcliffe Harriers",
    ]
    static let givenInitials = ["A.", "B.", "C.", "D.", "E.", "F.", "G.", "J.", "K.", "L.", "M.", "N.", "O.", "P.", "R.", "S.", "T."]
    static let surnames = [
        "Okafor", "Lindqvist", "Moreau", "Costa", "Brennan", "Nakamura", "Fischer", "Haddad", "Kowalski", "Silva",
        "Andersen", "Murphy", "Rossi", "Dubois", "Petrov", "Yilmaz", "Walsh", "Jansen", "Novak", "Garcia",
    ]

    /// Event types in play, with weights (out of their sum).
    static let mix: [(ScoreEventType, Int)] = [
        (.foul, 24), (.corner, 16), (.save, 10), (.offside, 8), (.yellowCard, 9), (.substitution, 7),
        (.goal, 9), (.penaltyGoal, 1), (.penaltyMiss, 1), (.ownGoal, 1), (.redCard, 1),
    ]

    /// The next change, or nil when every match is over and no more may start.
    mutating func next(_ ledger: ScoreLedger) -> ScoreJob? {
        // Only its own: a match an operator created is fed by the operator.
        let open = ledger.sortedMatches.filter { $0.simulated && $0.status != .finished }
        // At `maxMatches` the oldest finished match makes room (ScoreBatch).
        let room = ledger.matches.count < maxMatches || ledger.oldestFinished() != nil
        if open.count < matches && room {
            // Teams not playing now, while there are two of them: nobody plays two matches at once.
            let playing = Set(ledger.matches.values.filter { $0.status != .finished }.flatMap { [$0.home, $0.away] })
            let free = Self.teams.filter { !playing.contains($0) }
            let pool = free.count >= 2 ? free : Self.teams
            let home = random.int(in: 0...(pool.count - 1))
            var away = random.int(in: 0...(pool.count - 2))
            if away >= home { away += 1 }
            return .create(home: pool[home], away: pool[away], simulated: true)
        }
        guard !open.isEmpty else { return nil }
        let match = open[random.int(in: 0...(open.count - 1))]
        return .events([draft(for: match)])
    }

    private mutating func draft(for match: Match) -> ScoreEventDraft {
        switch match.status {
        case .scheduled:
            return ScoreEventDraft(matchID: match.id, type: .kickoff, minute: 0)
        case .halfTime:
            return ScoreEventDraft(matchID: match.id, type: .kickoff, minute: 46)
        case .finished, .live:
            break
        }
        let firstHalf = match.minute <= 45
        let minute = match.minute + random.int(in: 1...5)
        if firstHalf && minute >= 45 { return ScoreEventDraft(matchID: match.id, type: .halfTime, minute: 45) }
        if !firstHalf && minute >= 90 {
            return ScoreEventDraft(matchID: match.id, type: .fullTime, minute: 90 + random.int(in: 0...4))
        }
        var type = pickType()
        if type == .substitution && firstHalf { type = .foul }
        let team: TeamSide = random.int(in: 0...1) == 0 ? .home : .away
        return ScoreEventDraft(matchID: match.id, type: type, minute: minute, team: team,
                               player: player(of: match.teamName(team)))
    }

    private mutating func pickType() -> ScoreEventType {
        var roll = random.int(in: 0...(Self.mix.reduce(0) { $0 + $1.1 } - 1))
        for (type, weight) in Self.mix {
            if roll < weight { return type }
            roll -= weight
        }
        return .foul
    }

    /// A squad member: eleven names per team, fixed by the team's name.
    private mutating func player(of team: String) -> String {
        let slot = random.int(in: 0...10)
        var h: UInt64 = 1469598103934665603
        for b in team.utf8 { h = (h ^ UInt64(b)) &* 1099511628211 }
        var squad = SplitMix64(seed: h &+ UInt64(slot))
        let initial = Self.givenInitials[squad.int(in: 0...(Self.givenInitials.count - 1))]
        let surname = Self.surnames[squad.int(in: 0...(Self.surnames.count - 1))]
        return "\(initial) \(surname)"
    }
}
