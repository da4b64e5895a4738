/// Everything the renderer shows besides the windows: who we are, the
/// connection, transfers, the followed match, and the input line.
///
/// Thread-safety: a value type; any thread.
public struct ViewState {
    public var nick = ""
    public var account: String?
    /// `connecting…`, `reconnecting in 2s`; empty when registered.
    public var connection = ""
    /// A transfer in progress: `send notes.txt [#####     ] 52%`.
    public var transfer: String?
    /// The followed match: `Home FC 2–1 Away United, 67'`.
    public var score: String?
    public var editor = LineEditor()
    /// Input typed as `*` (a password for /register).
    public var secretPrompt: String?
    public var nowMillis: Int64 = 0

    public init() {}
}
