/// Why a request could not be read, with the status that says so.
/// Every one ends the connection after its response: after a framing error
/// the next request's start is unknown.
///
/// Thread-safety: a value type; any thread.
public struct HTTPParseError: Error, Equatable, CustomStringConvertible {
    public var status: HTTPStatus
    /// A sentence for the response body and the access log.
    public var reason: String

    public init(_ status: HTTPStatus, _ reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status.code) \(status.phrase): \(reason)" }

    static func bad(_ reason: String) -> HTTPParseError { HTTPParseError(.badRequest, reason) }
}
