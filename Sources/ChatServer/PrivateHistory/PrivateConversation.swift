/// The two accounts of a private conversation and the history key their
/// messages are stored under (see `PrivateHistory.key`).
///
/// Thread-safety: a value type; any thread.
struct PrivateConversation: Equatable {
    /// The history key: the same whichever side sends.
    var key: String
    /// Folded account names, and the names as the accounts spell them.
    var first: String
    var firstName: String
    var second: String
    var secondName: String
}
