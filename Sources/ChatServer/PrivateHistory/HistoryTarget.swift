/// One line of a `CHATHISTORY TARGETS` answer: a channel or a person, and
/// when the newest message in the asked range was sent.
///
/// Thread-safety: a value type; any thread.
struct HistoryTarget: Equatable {
    /// The history key (channel's folded name or conversation key).
    var key: String
    /// What the client names it by: the channel's name or the peer's account.
    var name: String
    var lastMillis: Int64
}
