/// The codes of one command's `FAIL` replies (IRCv3 standard replies), and
/// the command they are sent under.
///
/// Thread-safety: conforming types are values; any thread.
protocol StandardFailureCode: RawRepresentable, Equatable where RawValue == String {
    /// The command named after `FAIL` (e.g. `BATCH`, `MARKREAD`).
    static var command: String { get }
}
