/// A multiline batch refused: `FAIL BATCH <CODE> [<context>…] :<text>`
/// with the codes of the draft/multiline specification.
typealias MultilineFailure = StandardFailure<MultilineFailureCode>

/// The draft/multiline specification's `FAIL BATCH` codes.
///
/// Thread-safety: a value type; any thread.
enum MultilineFailureCode: String, StandardFailureCode {
    case maxBytes = "MULTILINE_MAX_BYTES"
    case maxLines = "MULTILINE_MAX_LINES"
    case invalidTarget = "MULTILINE_INVALID_TARGET"
    case invalid = "MULTILINE_INVALID"
    /// A client-initiated batch of a type other than draft/multiline.
    case unsupportedType = "UNSUPPORTED_TYPE"

    static let command = "BATCH"
}
