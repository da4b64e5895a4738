/// A MARKREAD refused: `FAIL MARKREAD <CODE> [<context>…] :<text>`.
typealias ReadMarkerFailure = StandardFailure<ReadMarkerFailureCode>

/// The draft/read-marker specification's `FAIL MARKREAD` codes, plus the
/// standard replies' `ACCOUNT_REQUIRED`.
///
/// Thread-safety: a value type; any thread.
enum ReadMarkerFailureCode: String, StandardFailureCode {
    case needMoreParams = "NEED_MORE_PARAMS"
    case invalidParams = "INVALID_PARAMS"
    /// Markers belong to accounts: a client not logged in has none.
    case accountRequired = "ACCOUNT_REQUIRED"
    /// Not set: the account has `ReadMarkers.maxPerAccount` targets already.
    case internalError = "INTERNAL_ERROR"

    static let command = "MARKREAD"
}
