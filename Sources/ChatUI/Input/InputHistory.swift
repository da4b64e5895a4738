/// Lines the user sent, for Up/Down. Moving away from a line being typed
/// keeps it as the draft, so Down at the end gives it back. Bounded.
///
/// Thread-safety: a value type; any thread.
public struct InputHistory: Equatable {
    public private(set) var entries: [String] = []
    private var position: Int?
    private var draft = ""
    public let limit: Int

    public init(limit: Int = 500) { self.limit = max(1, limit) }

    public mutating func add(_ line: String) {
        position = nil
        guard !line.isEmpty, entries.last != line else { return }
        entries.append(line)
        if entries.count > limit { entries.removeFirst(entries.count - limit) }
    }

    /// Up: the previous entry, or nil at the oldest (the line stays as it is).
    public mutating func previous(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        if position == nil { draft = current; position = entries.count }
        guard position! > 0 else { return nil }
        position! -= 1
        return entries[position!]
    }

    /// Down: the next entry, the draft after the newest, nil when not browsing.
    public mutating func next() -> String? {
        guard let p = position else { return nil }
        if p + 1 < entries.count {
            position = p + 1
            return entries[p + 1]
        }
        position = nil
        return draft
    }
}
