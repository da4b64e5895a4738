/// A MARKREAD refused: sent as `FAIL MARKREAD <CODE> [<context>…] :<text>`
/// (the codes of the draft/read-marker specification, plus the standard
/// replies' `ACCOUNT_REQUIRED`).
///
/// Thread-safety: a value type; any thread.
struct ReadMarkerFailure: Error, Equatable {
    enum Code: String {
        case needMoreParams = "NEED_MORE_PARAMS"
        case invalidParams = "INVALID_PARAMS"
        /// Markers belong to accounts: a client not logged in has none.
        case accountRequired = "ACCOUNT_REQUIRED"
        /// Not set: the account has `ReadMarkers.maxPerAccount` targets already.
        case internalError = "INTERNAL_ERROR"
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
    var params: [String] { ["MARKREAD", code.rawValue] + context + [text] }
}
