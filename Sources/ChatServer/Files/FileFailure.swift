/// A FILE command refused: sent as the IRCv3 standard reply
/// `FAIL FILE <CODE> [<context>] :<text>`.
///
/// Thread-safety: a value type; any thread.
public struct FileFailure: Error, Equatable, CustomStringConvertible {
    /// The codes of docs/FILES.md.
    public enum Code: String, CaseIterable {
        case needAccount = "NEED_ACCOUNT"
        case noSuchTarget = "NO_SUCH_TARGET"
        case notOnChannel = "NOT_ON_CHANNEL"
        case tooLarge = "TOO_LARGE"
        case quotaExceeded = "QUOTA_EXCEEDED"
        case notText = "NOT_TEXT"
        case hashMismatch = "HASH_MISMATCH"
        case sizeMismatch = "SIZE_MISMATCH"
        case badName = "BAD_NAME"
        case badChunk = "BAD_CHUNK"
        case unknownUpload = "UNKNOWN_UPLOAD"
        case noSuchFile = "NO_SUCH_FILE"
        case notAllowed = "NOT_ALLOWED"
        case tooManyUploads = "TOO_MANY_UPLOADS"
        case storageFailed = "STORAGE_FAILED"
        /// Not one of the issue's codes: a malformed FILE line (unknown
        /// subcommand, missing or malformed parameters).
        case invalidParams = "INVALID_PARAMS"
        /// More downloads asked for at once than a connection may have.
        case tooManyDownloads = "TOO_MANY_DOWNLOADS"
        /// Uploads in progress on the whole server already hold
        /// `files.maxUploadMemoryBytes`; a later try may succeed.
        case serverBusy = "SERVER_BUSY"
    }

    public let code: Code
    /// The thing the failure is about (an upload id, a file id, a target), if any.
    public let context: String?
    public let text: String

    public init(_ code: Code, _ context: String? = nil, _ text: String) {
        self.code = code
        self.context = context
        self.text = text
    }

    /// The parameters after `FAIL`.
    public var params: [String] { ["FILE", code.rawValue] + (context.map { [$0] } ?? []) + [text] }

    public var description: String { "FAIL FILE \(code.rawValue)\(context.map { " " + $0 } ?? "") :\(text)" }
}
