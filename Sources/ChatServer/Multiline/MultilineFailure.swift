/// A multiline batch refused: sent as `FAIL BATCH <CODE> [<context>…] :<text>`
/// with the codes of the draft/multiline specification.
///
/// Thread-safety: a value type; any thread.
struct MultilineFailure: Error, Equatable {
    enum Code: String {
        case maxBytes = "MULTILINE_MAX_BYTES"
        case maxLines = "MULTILINE_MAX_LINES"
        case invalidTarget = "MULTILINE_INVALID_TARGET"
        case invalid = "MULTILINE_INVALID"
        /// A client-initiated batch of a type other than draft/multiline.
        case unsupportedType = "UNSUPPORTED_TYPE"
    }

    let code: Code
    let context: [String]
    let text: String

    init(_ code: Code, _ context: [String] = [], _ text: String) {
        self.code = code
        self.context = context
        self.text = text
    }

    /// The parameters after `FAIL`.
    var params: [String] { ["BATCH", code.rawValue] + context + [text] }
}
