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

    /// `405 Method Not Allowed` with the `Allow` header RFC 9110 §15.5.6
    /// requires: the one form every route's wrong method gets.
    public static func methodNotAllowed(_ method: String, allowed: [String]) -> HTTPErrorResponse {
        let list = allowed.joined(separator: ", ")
        return HTTPErrorResponse(.methodNotAllowed, "\(method) is not supported here; use \(list)",
                                 headers: HTTPHeaders([("Allow", list)]))
    }

    public var response: HTTPResponse { .text(status, reason, headers: headers) }
}
