import Foundation

/// An event as one line for people: `67' GOAL Home FC — N. Name (2–1)`.
///
/// Thread-safety: pure functions; any thread.
public enum ScoreLine {
    public static func format(_ d: ScoreDatagram) -> String {
        var line = "\(d.minute)' " + d.type.uppercased().replacingOccurrences(of: "-", with: " ")
        if let team = d.team { line += " " + team }
        if let player = d.player, !player.isEmpty { line += " — " + player }
        line += " (\(d.home)–\(d.away))"
        return line
    }
}
