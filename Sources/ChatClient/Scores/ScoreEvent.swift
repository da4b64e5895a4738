import Foundation

/// One match event as `SCORES EVENT` reports it (issue #12).
///
/// Thread-safety: a value type; any thread.
public struct ScoreEvent: Equatable {
    public var matchID: String
    public var seq: Int
    public var type: String
    public var minute: Int
    public var homeGoals: Int
    public var awayGoals: Int
    public var sentence: String

    public init(matchID: String, seq: Int, type: String, minute: Int, homeGoals: Int, awayGoals: Int, sentence: String) {
        self.matchID = matchID
        self.seq = seq
        self.type = type
        self.minute = minute
        self.homeGoals = homeGoals
        self.awayGoals = awayGoals
        self.sentence = sentence
    }

    /// `67' GOAL Home FC — N. Name (2–1)`: the printed form, with the
    /// server's sentence as the text.
    public var display: String {
        "\(minute)' \(type.uppercased().replacingOccurrences(of: "-", with: " ")) \(sentence) (\(homeGoals)–\(awayGoals))"
    }
}
