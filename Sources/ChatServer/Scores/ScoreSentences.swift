/// The human sentence of an event, several wordings per type. The wording
/// is picked by the event's seq, so the same match reads the same way on
/// every run (the simulator's output is deterministic under a seed).
///
/// Thread-safety: pure functions; any thread.
enum ScoreSentences {
    /// "an" before a vowel sound as it is written (an Away United player,
    /// an Olympic player), else "a".
    static func article(_ word: String) -> String {
        guard let first = word.lowercased().first else { return "a" }
        return "aeio".contains(first) ? "an" : "a"
    }

    static func sentence(for event: ScoreEvent, in match: Match) -> String {
        let team = event.team.map { match.teamName($0) } ?? ""
        let other = event.team.map { match.teamName($0.other) } ?? ""
        let who = event.player ?? "\(Self.article(team)) \(team) player"
        let score = "\(match.home) \(event.homeGoals)–\(event.awayGoals) \(match.away)"
        let choices: [String]
        switch event.type {
        case .kickoff:
            choices = event.minute == 0
                ? ["\(match.home) and \(match.away) are under way.", "Kick-off! \(match.home) against \(match.away).",
                   "The referee blows the whistle and we are off."]
                : ["The second half is under way.", "Back out for the second half: \(score).",
                   "\(match.away) restart the game after the break."]
        case .goal:
            choices = ["GOAL! \(who) scores for \(team). \(score).", "\(who) finds the net! \(score).",
                       "What a finish from \(who)! \(team) score. \(score).", "\(who) slots it home. \(score)."]
        case .ownGoal:
            choices = ["Own goal! \(who) turns it into his own net. \(score).",
                       "Disaster for \(team): \(who) puts through his own goal. \(score)."]
        case .penaltyGoal:
            choices = ["\(who) converts the penalty for \(team). \(score).", "Penalty scored! \(who) sends the keeper the wrong way. \(score)."]
        case .penaltyMiss:
            choices = ["\(who) misses the penalty!", "Saved! \(who)'s penalty is kept out by the \(other) keeper."]
        case .yellowCard:
            choices = ["Yellow card for \(who) (\(team)).", "\(who) is booked.", "The referee shows \(who) a yellow card."]
        case .redCard:
            choices = ["Red card! \(who) is sent off; \(team) are down to ten.", "\(who) sees red and \(team) must play on a man short."]
        case .foul:
            choices = ["Foul by \(who).", "\(who) brings down his man; free kick to \(other).", "\(who) is penalised for a late challenge."]
        case .corner:
            choices = ["Corner to \(team).", "\(team) win a corner.", "\(who) forces a corner for \(team)."]
        case .offside:
            choices = ["\(who) is flagged offside.", "Offside against \(team)."]
        case .save:
            choices = ["Great save from the \(other) keeper to deny \(who)!", "\(who) tests the keeper, who holds on."]
        case .substitution:
            choices = ["Substitution for \(team): \(who) comes on.", "\(team) make a change: \(who) on."]
        case .halfTime:
            choices = ["Half-time: \(score).", "The referee blows for half-time. \(score)."]
        case .fullTime:
            choices = ["Full-time: \(score).", "It's all over! \(score).", "The final whistle goes. \(score)."]
        }
        return choices[Int(event.seq % Int64(choices.count))]
    }
}
