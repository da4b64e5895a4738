import Foundation

/// `chatctl match ingest`: JSON lines, one event each,
///
///     {"match":1,"type":"goal","team":"home","player":"N. Name","minute":23,"text":"optional sentence"}
///
/// `match` and `type` are required; `team` is required for events that
/// happen to one side; unknown keys are refused. Blank lines and lines
/// starting with `#` are skipped. Every bad line is reported with its
/// number; a file with any bad line applies nothing.
///
/// Thread-safety: pure functions; any thread.
public enum ScoreIngest {
    /// The most bytes in one line (a line is refused past it, not buffered).
    public static let maxLineBytes = 4096
    static let keys: Set<String> = ["match", "type", "team", "player", "minute", "text"]

    /// The drafts in `text` with their line numbers, or every problem with its line number.
    public static func parse(_ text: String, maxLines: Int) throws -> [(line: Int, draft: ScoreEventDraft)] {
        let (drafts, problems) = try read(text, maxLines: maxLines)
        if !problems.isEmpty { throw ScoreIngestError(problems: problems) }
        return drafts
    }

    /// The good lines' drafts and the bad lines' problems, both by line
    /// number, so a caller can check the good ones further and report all
    /// at once. Throws only past `maxLines`.
    public static func read(_ text: String, maxLines: Int) throws
        -> (drafts: [(line: Int, draft: ScoreEventDraft)], problems: [ScoreIngestError.Problem]) {
        var drafts: [(line: Int, draft: ScoreEventDraft)] = []
        var problems: [ScoreIngestError.Problem] = []
        var number = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            if drafts.count + problems.count >= maxLines {
                throw ScoreIngestError(problems: problems + [.init(line: number, reason: "more than \(maxLines) events")])
            }
            do {
                drafts.append((number, try parseLine(line)))
            } catch let error as ScoreError {
                problems.append(.init(line: number, reason: error.description))
            }
        }
        return (drafts, problems)
    }

    /// One line; a `ScoreError.invalidEvent` names what is wrong.
    public static func parseLine(_ line: String) throws -> ScoreEventDraft {
        guard line.utf8.count <= maxLineBytes else { throw ScoreError.invalidEvent("line longer than \(maxLineBytes) bytes") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)), let dict = object as? [String: Any] else {
            throw ScoreError.invalidEvent("not a JSON object")
        }
        if let unknown = dict.keys.sorted().first(where: { !keys.contains($0) }) {
            throw ScoreError.invalidEvent("unknown key \(unknown)")
        }
        guard let match = try whole(dict, "match", 1...Int(Int32.max)) else { throw ScoreError.invalidEvent("match is required") }
        guard let typeName = try string(dict, "type") else { throw ScoreError.invalidEvent("type is required") }
        guard let type = ScoreEventType(rawValue: typeName) else {
            throw ScoreError.invalidEvent("unknown type \(typeName) (\(ScoreEventType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var team: TeamSide?
        if let name = try string(dict, "team") {
            guard let side = TeamSide(rawValue: name) else { throw ScoreError.invalidEvent("team must be home or away") }
            team = side
        }
        // Checked here too (the ledger checks it again): so that every line
        // missing its team is reported at once with the syntax errors.
        if type.needsTeam && team == nil { throw ScoreError.invalidEvent("\(type.rawValue) needs a team (home or away)") }
        return ScoreEventDraft(matchID: Int64(match), type: type, minute: try whole(dict, "minute", 0...ScoreEventDraft.maxMinute),
                               team: team, player: try string(dict, "player"), text: try string(dict, "text"))
    }

    private static func string(_ dict: [String: Any], _ key: String) throws -> String? {
        guard let value = dict[key], !(value is NSNull) else { return nil }
        guard let s = value as? String else { throw ScoreError.invalidEvent("\(key) must be a string") }
        return s
    }

    private static func whole(_ dict: [String: Any], _ key: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let value = dict[key], !(value is NSNull) else { return nil }
        switch WholeNumber.read(value, in: range) {
        case .success(let n): return n
        case .failure: throw ScoreError.invalidEvent("\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
    }
}
