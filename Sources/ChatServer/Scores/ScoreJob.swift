/// A change to the scores, queued on the board and applied only once written.
///
/// Thread-safety: a value type; any thread.
public enum ScoreJob: Equatable, Sendable {
    /// `simulated`: the simulator's own match (it plays no other).
    case create(home: String, away: String, simulated: Bool = false)
    /// Applied all or nothing (an ingest file is one job).
    case events([ScoreEventDraft])

    /// Events it would add: what a group-commit batch is measured in.
    var draftCount: Int {
        switch self {
        case .create: return 0
        case .events(let drafts): return drafts.count
        }
    }
}

/// What a job did once written and announced.
public enum ScoreJobResult: Equatable, Sendable {
    case created(Match)
    case events([ScoreEvent])
}
