import Foundation

/// Every match and its events, and the rules that turn a draft into an event:
/// a pure value, so the board can try a batch on a copy, write it, and keep
/// the copy only once the write succeeded (nothing half-applied).
///
/// Thread-safety: a value type; the board's copy is loop-thread only.
public struct ScoreLedger: Equatable, Sendable {
    public private(set) var matches: [Int64: Match] = [:]
    public private(set) var events: [Int64: [ScoreEvent]] = [:]
    /// The id the next created match gets (ids are never reused).
    public private(set) var nextMatchID: Int64 = 1

    public init() {}

    /// Rebuilds the ledger from stored rows (events in seq order per match).
    public init(matches stored: [Match], events storedEvents: [ScoreEvent]) {
        for match in stored {
            matches[match.id] = match
            nextMatchID = max(nextMatchID, match.id + 1)
        }
        for event in storedEvents where matches[event.matchID] != nil {
            events[event.matchID, default: []].append(event)
        }
    }

    /// Matches by id.
    public var sortedMatches: [Match] { matches.values.sorted { $0.id < $1.id } }

    /// The oldest finished match not in `excluded`: the first to make room
    /// under `maxMatches` (`retire`).
    public func oldestFinished(excluding excluded: Set<Int64> = []) -> Int64? {
        matches.values.filter { $0.status == .finished && !excluded.contains($0.id) }.map(\.id).min()
    }

    /// Forgets a match and its events. Ids are not reused: a newer match
    /// always remains (only finished ones older than the one being created
    /// are retired), so `nextMatchID` survives a restart.
    public mutating func retire(_ id: Int64) {
        matches[id] = nil
        events[id] = nil
    }

    public func events(of id: Int64) -> [ScoreEvent] { events[id] ?? [] }

    /// Adds a scheduled match; returns it. Throws before changing anything
    /// (`ScoreBatch` relies on it).
    public mutating func createMatch(home: String, away: String, simulated: Bool = false, nowMillis: Int64) throws -> Match {
        for (name, key) in [(home, "home"), (away, "away")] {
            if let problem = Self.problem(name, maxLength: ScoreEventDraft.maxTeamNameLength) {
                throw ScoreError.invalidEvent("\(key) team name \(problem)")
            }
            if name.trimmingCharacters(in: .whitespaces).isEmpty { throw ScoreError.invalidEvent("\(key) team name is empty") }
        }
        let match = Match(id: nextMatchID, home: home, away: away, startMillis: nowMillis, simulated: simulated)
        matches[match.id] = match
        events[match.id] = []
        nextMatchID += 1
        return match
    }

    /// Checks `draft` against its match and appends the event it makes.
    /// Every check comes before the first change: a refused draft leaves the
    /// ledger as it was (`ScoreBatch` relies on it).
    public mutating func apply(_ draft: ScoreEventDraft, nowMillis: Int64) throws -> ScoreEvent {
        guard var match = matches[draft.matchID] else { throw ScoreError.noSuchMatch(draft.matchID) }
        guard match.status != .finished else { throw ScoreError.matchFinished(match.id) }
        let minute = draft.minute ?? match.minute
        guard (0...ScoreEventDraft.maxMinute).contains(minute) else {
            throw ScoreError.invalidEvent("minute must be 0 to \(ScoreEventDraft.maxMinute)")
        }
        if draft.type.needsTeam && draft.team == nil {
            throw ScoreError.invalidEvent("\(draft.type.rawValue) needs a team (home or away)")
        }
        if let player = draft.player, let problem = Self.problem(player, maxLength: ScoreEventDraft.maxPlayerLength) {
            throw ScoreError.invalidEvent("player \(problem)")
        }
        if let text = draft.text, let problem = Self.problem(text, maxLength: ScoreEventDraft.maxTextLength) {
            throw ScoreError.invalidEvent("text \(problem)")
        }
        switch (draft.type, match.status) {
        case (.kickoff, .scheduled), (.kickoff, .halfTime):
            match.status = .live
        case (.kickoff, _):
            throw ScoreError.invalidEvent("kickoff only before the match or after half-time")
        case (.halfTime, .live):
            match.status = .halfTime
        case (.halfTime, _):
            throw ScoreError.invalidEvent("half-time only while the match is live")
        case (.fullTime, _):
            match.status = .finished
        case (_, .live):
            break
        default:
            throw ScoreError.invalidEvent("\(draft.type.rawValue) only while the match is live (it is \(match.status.rawValue))")
        }
        switch draft.type.scoringSide(team: draft.team) {
        case .home?: match.homeGoals += 1
        case .away?: match.awayGoals += 1
        case nil: break
        }
        // An event reported late keeps its own minute; the match's clock
        // (the room's topic, SCORES LIST) never runs backwards for it.
        match.minute = max(match.minute, minute)
        match.lastSeq += 1
        var event = ScoreEvent(matchID: match.id, seq: match.lastSeq, type: draft.type, minute: minute,
                               team: draft.type.needsTeam ? draft.team : nil, player: draft.player, text: "",
                               homeGoals: match.homeGoals, awayGoals: match.awayGoals, timeMillis: nowMillis)
        event.text = draft.text ?? ScoreSentences.sentence(for: event, in: match)
        matches[match.id] = match
        events[match.id, default: []].append(event)
        return event
    }

    /// Why `text` cannot go into an IRC line or a record, or nil if it can.
    static func problem(_ text: String, maxLength: Int) -> String? {
        if text.utf8.count > maxLength { return "is longer than \(maxLength) bytes" }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) { return "contains control characters" }
        return nil
    }
}
