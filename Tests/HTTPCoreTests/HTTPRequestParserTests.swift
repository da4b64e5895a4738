import XCTest
@testable import HTTPCore

/// The strict parser: valid heads, every refusal with its status, and the
/// same result whichever way the input is split.
final class HTTPRequestParserTests: XCTestCase {
    func parse(_ text: String, limits: HTTPLimits = HTTPLimits()) -> HTTPRequestParser.Outcome {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { HTTPRequestParser(limits: limits).parse($0) }
    }

    func status(_ text: String, limits: HTTPLimits = HTTPLimits()) -> Int? {
        if case .failure(let e) = parse(text, limits: limits) { return e.status.code }
        return nil
    }

    func testSimpleGet() {
        guard case .head(let head, let consumed) = parse("GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Y:  z \r\n\r\nrest") else {
            return XCTFail("no head")
        }
        XCTAssertEqual(consumed, "GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nX-Y:  z \r\n\r\n".utf8.count)
        XCTAssertEqual(head.method, "GET")
        XCTAssertEqual(head.path, "/a/b")
        XCTAssertEqual(head.query, "x=1")
        XCTAssertEqual(head.headers["x-y"], "z")
        XCTAssertTrue(head.keepAlive)
        XCTAssertEqual(head.contentLength, 0)
    }

    func testKeepAliveRules() {
        guard case .head(let h10, _) = parse("GET / HTTP/1.0\r\n\r\n"),
              case .head(let h10k, _) = parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"),
              case .head(let h11c, _) = parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n") else { return XCTFail() }
        XCTAssertFalse(h10.keepAlive)
        XCTAssertTrue(h10k.keepAlive)
        XCTAssertFalse(h11c.keepAlive)
    }

    func testIncompleteUntilBlankLine() {
        XCTAssertEqual(parse("GET / HTTP/1.1\r\nHost: h\r\n"), .incomplete)
        XCTAssertEqual(parse(""), .incomplete)
    }

    func testOneLeadingEmptyLineIsSkipped() {
        guard case .head(let head, _) = parse("\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n") else { return XCTFail() }
        XCTAssertEqual(head.target, "/")
    }

    func testRefusals() {
        XCTAssertEqual(status("GET / HTTP/1.1\nHost: h\n\n"), 400, "bare LF")
        XCTAssertEqual(status("GET / HTTP/1.1\r\n\r\n"), 400, "no Host")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400, "two Hosts")
        XCTAssertEqual(status("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "double space")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400, "a space in Host")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: a/b@c\r\n\r\n"), 400, "a path and user info in Host")
        XCTAssertEqual(status("GET /healthz#x HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "a fragment")
        XCTAssertEqual(status("GET http://user@x/ HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "user info in an absolute target")
        XCTAssertEqual(status("GET ftp://x/ HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "another scheme")
        XCTAssertEqual(status("BREW / HTTP/1.1\r\nHost: h\r\n\r\n"), 501, "a method HTTP does not define")
        XCTAssertEqual(status("get / HTTP/1.1\r\nHost: h\r\n\r\n"), 501, "methods are case-sensitive")
        XCTAssertEqual(status("GET / HTTP/2.0\r\nHost: h\r\n\r\n"), 505)
        XCTAssertEqual(status("GET / HTTQ/1.1\r\nHost: h\r\n\r\n"), 400)
        XCTAssertEqual(status("G(T / HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "method not a token")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost : h\r\n\r\n"), 400, "space before colon")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: h\u{1}\r\n\r\n"), 400, "control byte")
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), 400)
        XCTAssertEqual(status("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"), 400)
        XCTAssertEqual(status("GET / HTTP/1.1\r\nHost: h\0\r\n"), 400, "NUL before the head completes")
    }

    func testAbsoluteFormIsAcceptedAndItsAuthorityIsTheHost() {
        guard case .head(let head, _) = parse("GET http://Example.org:8080/files/1?x=2 HTTP/1.1\r\nHost: other\r\n\r\n") else { return XCTFail() }
        XCTAssertEqual(head.target, "/files/1?x=2")
        XCTAssertEqual(head.path, "/files/1")
        XCTAssertEqual(head.headers["Host"], "Example.org:8080", "RFC 9112 §3.2.2: the target's authority, not Host")
        guard case .head(let bare, _) = parse("GET HTTPS://[::1]:8443 HTTP/1.1\r\nHost: h\r\n\r\n") else { return XCTFail() }
        XCTAssertEqual(bare.target, "/", "an empty path is /")
        XCTAssertEqual(bare.headers["Host"], "[::1]:8443")
        guard case .head(let query, _) = parse("GET http://h?a=1 HTTP/1.1\r\nHost: h\r\n\r\n") else { return XCTFail() }
        XCTAssertEqual(query.target, "/?a=1")
        guard case .head(let empty, _) = parse("GET / HTTP/1.1\r\nHost:\r\n\r\n") else { return XCTFail("an empty Host is allowed") }
        XCTAssertEqual(empty.headers["Host"], "")
    }

    func testTransferEncodingRules() {
        guard case .head(let head, _) = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\n\r\n") else { return XCTFail() }
        XCTAssertTrue(head.chunked, "coding names are case-insensitive")
        XCTAssertEqual(head.contentLength, 0)
        guard case .head(let listed, _) = parse("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: , chunked\r\n\r\n") else { return XCTFail() }
        XCTAssertTrue(listed.chunked, "empty list elements are allowed")
        let post = "POST / HTTP/1.1\r\nHost: h\r\n"
        XCTAssertEqual(status(post + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"), 400, "both: smuggling")
        XCTAssertEqual(status(post + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"), 400, "both, other order")
        XCTAssertEqual(status(post + "Content-Length: 3\r\nTransfer-Encoding: identity\r\n\r\n"), 400, "both, not chunked")
        XCTAssertEqual(status(post + "Transfer-Encoding: gzip, chunked\r\n\r\n"), 501, "another coding before chunked")
        XCTAssertEqual(status(post + "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n"), 501, "the same over two fields")
        XCTAssertEqual(status(post + "Transfer-Encoding: chunked, gzip\r\n\r\n"), 400, "chunked not last")
        XCTAssertEqual(status(post + "Transfer-Encoding: gzip\r\n\r\n"), 400, "no chunked")
        XCTAssertEqual(status(post + "Transfer-Encoding: identity\r\n\r\n"), 400, "identity is no coding any more")
        XCTAssertEqual(status(post + "Transfer-Encoding: chunked, chunked\r\n\r\n"), 400, "chunked twice")
        XCTAssertEqual(status(post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"), 400, "twice over two fields")
        XCTAssertEqual(status(post + "Transfer-Encoding: chunked;x=1\r\n\r\n"), 400, "chunked takes no parameters")
        XCTAssertEqual(status(post + "Transfer-Encoding:\r\n\r\n"), 400, "empty")
        XCTAssertEqual(status("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400, "HTTP/1.0 has no transfer codings")
    }

    func testSameContentLengthTwiceIsFine() {
        guard case .head(let head, _) = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n") else { return XCTFail() }
        XCTAssertEqual(head.contentLength, 5)
    }

    func testLimits() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 64
        limits.maxHeaderBytes = 256
        limits.maxHeaderCount = 3
        let longTarget = "GET /" + String(repeating: "a", count: 100) + " HTTP/1.1\r\nHost: h\r\n\r\n"
        XCTAssertEqual(status(longTarget, limits: limits), 414)
        XCTAssertEqual(status("GET /" + String(repeating: "a", count: 100), limits: limits), 414, "refused before the line ends")
        let many = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"
        XCTAssertEqual(status(many, limits: limits), 431)
        let big = "GET / HTTP/1.1\r\nHost: h\r\nA: " + String(repeating: "x", count: 300)
        XCTAssertEqual(status(big, limits: limits), 431, "refused before the head ends")
    }

    func testEverySplitParsesTheSame() {
        let text = Array("GET /x HTTP/1.1\r\nHost: h\r\nA: b\r\n\r\n".utf8)
        let whole = text.withUnsafeBytes { HTTPRequestParser().parse($0) }
        for cut in 0..<text.count {
            let partial = Array(text[..<cut]).withUnsafeBytes { HTTPRequestParser().parse($0) }
            XCTAssertEqual(partial, .incomplete, "cut at \(cut)")
        }
        guard case .head = whole else { return XCTFail() }
    }
}
