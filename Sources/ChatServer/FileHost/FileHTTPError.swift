/// A refused files-over-HTTP request: its status code and a sentence, sent
/// as `text/plain` (401 adds the `WWW-Authenticate` challenge).
///
/// Thread-safety: a value type; any thread.
struct FileHTTPError: Error, Equatable {
    let status: Int
    let text: String

    init(_ status: Int, _ text: String) {
        self.status = status
        self.text = text
    }

    static let phrases: [Int: String] = [
        400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
        413: "Content Too Large", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
        429: "Too Many Requests", 500: "Internal Server Error", 503: "Service Unavailable", 507: "Insufficient Storage",
    ]

    /// How a FILE failure reads over HTTP.
    init(_ failure: FileFailure) {
        switch failure.code {
        case .tooLarge: self.init(413, failure.text)
        case .notText: self.init(415, failure.text)
        case .quotaExceeded, .notAllowed, .notOnChannel, .needAccount: self.init(403, failure.text)
        case .noSuchTarget, .noSuchFile: self.init(404, failure.text)
        case .storageFailed: self.init(507, failure.text)
        default: self.init(400, failure.text)
        }
    }
}
