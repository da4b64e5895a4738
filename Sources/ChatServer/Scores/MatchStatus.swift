/// Where a match stands. The raw values are the wire and database forms.
///
/// Thread-safety: a value type; any thread.
public enum MatchStatus: String, CaseIterable, Sendable {
    case scheduled
    case live
    case halfTime = "half-time"
    case finished
}
