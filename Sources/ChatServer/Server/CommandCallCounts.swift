/// Calls per command since start, indexed by `CommandSpec.slot`.
///
/// Bumped on every line, so kept in storage of its own rather than as an
/// array in `ServerStats`: bumping an element there was a modify access to
/// `IRCServer.stats` spanning the array's copy-on-write code, and that one
/// access kept a runtime exclusivity check on every other use of `stats`
/// (about fifty places, several per churn cycle). Here a bump is a store
/// through a pointer, and `stats` is left with plain field updates.
///
/// Thread-safety: loop thread only.
final class CommandCallCounts {
    private let counts: UnsafeMutableBufferPointer<UInt64>

    init(commandCount: Int) {
        counts = .allocate(capacity: commandCount)
        counts.initialize(repeating: 0)
    }

    deinit { counts.deallocate() }

    func bump(_ slot: Int) { counts[slot] &+= 1 }

    /// (slot, calls) for every command called at least once.
    var used: [(slot: Int, calls: UInt64)] {
        counts.indices.compactMap { counts[$0] > 0 ? ($0, counts[$0]) : nil }
    }
}
