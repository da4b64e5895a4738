/// A copy of a message with other tags (the score replays use it).
///
/// Thread-safety: a value type; any thread.
extension IRCMessage {
    /// The same message with `tags`.
    func tagged(_ tags: [IRCTag]) -> IRCMessage {
        var copy = self
        copy.tags = tags
        return copy
    }
}
