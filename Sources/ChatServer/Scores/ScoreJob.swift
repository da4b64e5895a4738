/// A change to the scores, queued on the board and applied only once written.
///
/// Thread-safety: a value type; any thread.
public enum ScoreJob: Equatable, Sendable {
    case create(home: String, away: String)
    /// Applied all or nothing (an ingest file is one job).
    case events([ScoreEventDraft])
}

/// What a job did once written and announced.
public enum ScoreJobResult: Equatable, Sendable {
    case created(Match)
    case events([ScoreEvent])
}
