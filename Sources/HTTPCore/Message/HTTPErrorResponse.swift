/// A refusal a responder can return or throw: a status, a sentence saying
/// why, and any headers it needs (`Allow`, `Upgrade`…).
///
/// Thread-safety: a value type; any thread.
public struct HTTPErrorResponse: Error, Equatable {
    public var status: HTTPStatus
    public var reason: String
    public var headers: HTTPHeaders

    public init(_ status: HTTPStatus, _ reason: String, headers: HTTPHeaders = HTTPHeaders()) {
        self.status = status
        self.reason = reason
        self.headers = headers
    }

    public var response: HTTPResponse { .text(status, reason, headers: headers) }
}
