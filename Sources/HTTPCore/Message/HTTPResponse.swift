import CoreLoop

/// A complete response: status, header fields and body. The connection adds
/// `Date`, `Server`, `Content-Length` and `Connection` itself.
///
/// Thread-safety: a value type; any thread (the body chunk is immutable).
public struct HTTPResponse {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: ByteChunk

    public init(status: HTTPStatus, headers: HTTPHeaders = HTTPHeaders(), body: ByteChunk = ByteChunk([UInt8]())) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A `text/plain; charset=utf-8` response; error pages say why in a sentence.
    public static func text(_ status: HTTPStatus, _ text: String, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", "text/plain; charset=utf-8")
        return HTTPResponse(status: status, headers: headers, body: ByteChunk(text.hasSuffix("\n") ? text : text + "\n"))
    }

    /// A response with the given content type and bytes.
    public static func bytes(_ status: HTTPStatus = .ok, contentType: String, _ body: [UInt8], headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var headers = headers
        headers.set("Content-Type", contentType)
        return HTTPResponse(status: status, headers: headers, body: ByteChunk(body))
    }
}
