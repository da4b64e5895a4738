/// Which side an event belongs to.
///
/// Thread-safety: a value type; any thread.
public enum TeamSide: String, CaseIterable, Sendable {
    case home
    case away

    public var other: TeamSide { self == .home ? .away : .home }
}
