/// One PRIVMSG line of a multiline message: its text, and whether it
/// continues the previous line directly (`draft/multiline-concat`) instead
/// of after a line break.
///
/// Thread-safety: a value type; any thread.
struct MultilineLine: Equatable {
    var text: String
    var concat: Bool
}
