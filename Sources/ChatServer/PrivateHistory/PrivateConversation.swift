/// The two sides of a private conversation (accounts, or a guest's nick
/// behind `PrivateHistory.guestMark`) and the history key their messages
/// are stored under (see `PrivateHistory.key`).
///
/// Thread-safety: a value type; any thread.
struct PrivateConversation: Equatable {
    /// The history key: the same whichever side sends.
    var key: String
    /// Folded account names (or marked guest nicks), and the names as shown.
    var first: String
    var firstName: String
    var second: String
    var secondName: String
}
