/// A command refused with an IRCv3 standard reply:
/// `FAIL <command> <CODE> [<context>…] :<text>`. Each feature names its
/// codes (a `StandardFailureCode`) and uses this one type for the reply, so
/// the shape of the parameters is written once.
///
/// Thread-safety: a value type; any thread.
struct StandardFailure<Code: StandardFailureCode>: Error, Equatable {
    let code: Code
    let context: [String]
    let text: String

    init(_ code: Code, _ context: [String] = [], _ text: String) {
        self.code = code
        self.context = context
        self.text = text
    }

    /// The parameters after `FAIL`.
    var params: [String] { [Code.command, code.rawValue] + context + [text] }
}
