#if canImport(HTTPCore)
@testable import ChatServer
import Foundation
import XCTest

/// Files over HTTP against a real daemon on loopback: upload with POST
/// (201 + Location, share notice on IRC), download with Range (206, several
/// seeks), 401 without credentials, 304 for a matching ETag, 413 over
/// `files.maxBytes`, 405 for other methods, and the page's token cookie.
final class FileHTTPLoopbackTests: XCTestCase {
    var daemon: DaemonThread!
    var dataDir = ""
    var webPort: Int { daemon.daemon.httpListeners[0].address.port! }
    let password = "alices-long-password"

    override func setUpWithError() throws {
        dataDir = FileTestSupport.dataDir()
        let dir = dataDir
        daemon = try DaemonThread(storage: try ChatStorage(path: dir + "/chatd.sqlite")) {
            $0.dataDir = dir
            $0.http.listen = ["127.0.0.1:0"]
            $0.files.maxBytes = 8192
        }
        daemon.start()
    }

    override func tearDown() {
        daemon?.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// alice: registered, logged in, in #share.
    func alice() throws -> LoopbackIRCClient {
        let c = try LoopbackIRCClient(port: daemon.port)
        try c.register("alice")
        try c.line("REGISTER * * :\(password)")
        _ = try c.waitFor("REGISTER SUCCESS") { $0.contains("REGISTER SUCCESS") }
        try c.line("JOIN #share")
        _ = try c.waitForNumeric("366")
        return c
    }

    func basic(_ user: String, _ secret: String) -> String {
        "Authorization: Basic " + Data("\(user):\(secret)".utf8).base64EncodedString()
    }

    /// - Parameter sendBody: false sends only the head, for a refusal that comes before the body is read.
    func upload(_ body: [UInt8], name: String = "notes.txt", auth: String?, sendBody: Bool = true) throws -> HTTPReply {
        var head = "POST /files?target=%23share HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        head += "Content-Disposition: attachment; filename=\"\(name)\"\r\nContent-Type: text/plain\r\n"
        if let auth { head += auth + "\r\n" }
        return try HTTPReply.exchange(port: webPort, Array((head + "\r\n").utf8) + (sendBody ? body : []))
    }

    func get(_ path: String, _ headers: [String]) throws -> HTTPReply {
        let head = "GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
        return try HTTPReply.exchange(port: webPort, Array(head.utf8))
    }

    func testUploadThenRangedDownloadsNotModifiedAndUnauthorized() throws {
        let irc = try alice()
        let text = Array((0..<600).map { "line \($0) ok\n" }.joined().utf8).prefix(5000)  // ASCII: the cut is never inside a character
        let body = Array(text)
        XCTAssertEqual(body.count, 5000)
        let created = try upload(body, auth: basic("alice", password))
        XCTAssertEqual(created.status, 201, created.text)
        let location = try XCTUnwrap(created.header("Location"))
        XCTAssertTrue(location.hasPrefix("/files/") && location.hasSuffix("/notes.txt"), location)
        _ = try irc.waitFor("the share notice") { $0.contains("PRIVMSG #share :alice shared notes.txt") }

        let whole = try get(location, [basic("alice", password)])
        XCTAssertEqual(whole.status, 200)
        XCTAssertEqual(whole.body, body)
        XCTAssertEqual(whole.header("Content-Type"), "text/plain; charset=utf-8")
        XCTAssertEqual(whole.header("X-Content-Type-Options"), "nosniff")
        let etag = try XCTUnwrap(whole.header("ETag"))
        XCTAssertEqual(etag, "\"\(SHA256.hex(of: body))\"")

        // Several seeks, as a player makes them.
        for (range, expected) in [("bytes=10-19", Array(body[10...19])), ("bytes=4990-", Array(body[4990...])),
                                  ("bytes=-7", Array(body.suffix(7))), ("bytes=0-0", [body[0]])] {
            let part = try get(location, [basic("alice", password), "Range: \(range)"])
            XCTAssertEqual(part.status, 206, range)
            XCTAssertEqual(part.body, expected, range)
        }
        let partial = try get(location, [basic("alice", password), "Range: bytes=100-199"])
        XCTAssertEqual(partial.header("Content-Range"), "bytes 100-199/\(body.count)")
        XCTAssertEqual(try get(location, [basic("alice", password), "Range: bytes=9999-"]).status, 416)

        XCTAssertEqual(try get(location, [basic("alice", password), "If-None-Match: \(etag)"]).status, 304)
        XCTAssertEqual(try get(location, [basic("alice", password), "If-Match: \"other\""]).status, 412)
        XCTAssertEqual(try get(location, [basic("alice", password), "If-Match: W/\(etag)"]).status, 412, "strong comparison")
        XCTAssertEqual(try get(location, [basic("alice", password), "If-Match: \"other\", \(etag)"]).body, body)
        XCTAssertEqual(try get(location, [basic("alice", password), "If-Match: *"]).status, 200)
        let twoRanges = try get(location, [basic("alice", password), "Range: bytes=0-0", "Range: bytes=5-9"])
        XCTAssertEqual(twoRanges.status, 200, "two Range fields: served whole")
        XCTAssertEqual(twoRanges.body, body)
        let anonymous = try get(location, [])
        XCTAssertEqual(anonymous.status, 401)
        XCTAssertNotNil(anonymous.header("WWW-Authenticate"))
        XCTAssertEqual(try get(location, [basic("alice", "wrong-password")]).status, 401)

        // The page's way: a token from FILE TOKEN, as Basic password or as the cookie.
        try irc.line("FILE TOKEN")
        let line = try irc.waitFor("FILE TOKEN") { $0.contains(" FILE TOKEN ") }
        let token = String(line.split(separator: " ")[3])
        XCTAssertEqual(try get(location, ["Cookie: chatd_file_token=\(token)"]).body, body)
        let second = try upload(Array("more\n".utf8), name: "more.txt", auth: basic("alice", token))
        XCTAssertEqual(second.status, 201, second.text)
    }

    /// The body of `upload`, sent `Transfer-Encoding: chunked` in pieces of
    /// varied sizes, with an extension and a trailer (as `curl -T -` streams it).
    func uploadChunked(_ body: [UInt8], pieces: [Int], auth: String) throws -> HTTPReply {
        var request = "POST /files?target=%23share HTTP/1.1\r\nHost: t\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n"
        request += "Content-Disposition: attachment; filename=\"streamed.txt\"\r\n" + auth + "\r\n\r\n"
        var bytes = Array(request.utf8)
        var at = 0, next = 0
        while at < body.count {
            let size = min(pieces[next % pieces.count], body.count - at)
            bytes += Array((String(size, radix: 16, uppercase: next % 2 == 0) + (next == 1 ? ";note=\"x\"" : "") + "\r\n").utf8)
            bytes += body[at..<(at + size)] + [13, 10]
            at += size
            next += 1
        }
        bytes += Array("0\r\nX-Checksum: none\r\n\r\n".utf8)
        return try HTTPReply.exchange(port: webPort, bytes)
    }

    func testChunkedUploadDownloadsByteIdentical() throws {
        let irc = try alice()
        let body = Array((0..<700).map { "row \($0) \u{00e9}t\u{00e9}\n" }.joined().utf8.prefix(8000))
        let created = try uploadChunked(body, pieces: [1, 4093, 17, 256, 3000], auth: basic("alice", password))
        XCTAssertEqual(created.status, 201, created.text)
        XCTAssertTrue(created.text.contains("\(body.count) bytes"), created.text)
        let location = try XCTUnwrap(created.header("Location"))
        _ = try irc.waitFor("the share notice") { $0.contains("PRIVMSG #share :alice shared streamed.txt") }
        let whole = try get(location, [basic("alice", password)])
        XCTAssertEqual(whole.status, 200)
        XCTAssertEqual(whole.body, body, "byte-identical")
        // Several ranges: ignored (RFC 9110 allows it), 200 with the whole file.
        let multi = try get(location, [basic("alice", password), "Range: bytes=0-9,20-29"])
        XCTAssertEqual(multi.status, 200)
        XCTAssertEqual(multi.body, body)
        XCTAssertNil(multi.header("Content-Range"))
        // Over files.maxBytes (8192): 413 at the chunk size that passes it, before its data.
        let head = "POST /files?target=%23share HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
            + "Content-Disposition: attachment; filename=\"big.txt\"\r\n" + basic("alice", password) + "\r\n\r\n2001\r\n"
        XCTAssertEqual(try HTTPReply.exchange(port: webPort, Array(head.utf8)).status, 413)
    }

    func testTooLargeNotTextAndNoTargetAreRefused() throws {
        let irc = try alice()  // the uploads act through this connection
        // 413 comes from the head alone (the body is not read, so none is sent: unread bytes could reset the connection).
        XCTAssertEqual(try upload([UInt8](repeating: 0x61, count: 9000), auth: basic("alice", password), sendBody: false).status, 413)
        XCTAssertEqual(try upload([0x61, 0x00, 0x62], auth: basic("alice", password)).status, 415)
        XCTAssertEqual(try upload(Array("x".utf8), auth: nil).status, 401)
        XCTAssertEqual(try upload(Array("x".utf8), name: "song.mp3", auth: basic("alice", password)).status, 415)
        // Nothing refused was kept.
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: dataDir + "/files/tmp")) ?? [], [])
        withExtendedLifetime(irc) {}
    }

    /// An upload is judged on its head: a client waiting for `100 Continue`
    /// gets the refusal instead (and is never asked for the body), one that
    /// sent its body gets the refusal after it, and a good one its 100.
    func testAnUploadIsJudgedOnItsHeadBeforeItsBodyIsRead() throws {
        let irc = try alice()
        func head(_ auth: String?, name: String? = "n.txt") -> String {
            "POST /files?target=%23share HTTP/1.1\r\nHost: t\r\nConnection: close\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
                + (name.map { "Content-Disposition: attachment; filename=\"\($0)\"\r\n" } ?? "")
                + (auth.map { $0 + "\r\n" } ?? "") + "\r\n"
        }
        for (request, status) in [(head(nil), 401), (head(basic("alice", "wrong-password")), 401),
                                  (head(basic("alice", password), name: nil), 400), (head(basic("alice", password), name: "../x.txt"), 400)] {
            let reply = try HTTPReply.exchange(port: webPort, Array(request.utf8), timeout: 10)
            XCTAssertEqual(reply.status, status, request)
            XCTAssertEqual(reply.header("Connection"), "close")
        }
        let refused = try HTTPReply.exchange(port: webPort, Array((head(basic("alice", "wrong-password")).replacingOccurrences(of: "Expect: 100-continue\r\n", with: "") + "hello").utf8))
        XCTAssertEqual(refused.status, 401, "a body sent at once is read, dropped, and then refused")
        let c = try LoopbackIRCClient(port: webPort)
        try c.send(head(basic("alice", password)))
        let interim = try c.readAllBytes(until: "\r\n\r\n", timeout: 20)
        XCTAssertTrue(interim.hasPrefix("HTTP/1.1 100 Continue"), interim)
        try c.send("hello")
        let created = String(decoding: try c.readAllBytes(timeout: 20), as: UTF8.self)
        XCTAssertTrue(created.hasPrefix("HTTP/1.1 201"), created)
        withExtendedLifetime(irc) {}
    }

    /// A method /files does not take is 405 with `Allow` (RFC 9110 §15.5.6),
    /// from the head alone: `PUT /files` with a body over `files.maxBytes`
    /// was 413 before, since only POST has a body allowance.
    func testWrongMethodIs405WithAllowNotTooLarge() throws {
        for (request, allow) in [("PUT /files?target=%23share HTTP/1.1\r\nContent-Length: 9000\r\n", "POST"),
                                 ("GET /files HTTP/1.1\r\n", "POST"),
                                 ("DELETE /files/1/notes.txt HTTP/1.1\r\n", "GET, HEAD"),
                                 ("POST /files/1/notes.txt HTTP/1.1\r\nContent-Length: 5\r\n", "GET, HEAD")] {
            let reply = try HTTPReply.exchange(port: webPort, Array((request + "Host: t\r\nConnection: close\r\n\r\n").utf8))
            XCTAssertEqual(reply.status, 405, request)
            XCTAssertEqual(reply.header("Allow"), allow, request)
        }
        // A path that names no file is still 404, whatever the method.
        XCTAssertEqual(try HTTPReply.exchange(port: webPort, Array("PUT /files/x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8)).status, 404)
    }
}

/// One HTTP/1.1 exchange over a fresh loopback connection (`Connection: close`).
struct HTTPReply {
    var status = 0
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    var text: String { String(decoding: body, as: UTF8.self) }

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }

    static func exchange(port: Int, _ request: [UInt8], timeout: Double = 20) throws -> HTTPReply {
        let c = try LoopbackIRCClient(port: port)
        try c.send(String(decoding: request, as: UTF8.self))  // the tests' bodies are UTF-8
        let raw = try c.readAllBytes(timeout: timeout)
        guard let split = LoopbackWebSocketClient.find(Array("\r\n\r\n".utf8), in: raw) else { return HTTPReply() }
        let head = String(decoding: raw[..<split], as: UTF8.self).components(separatedBy: "\r\n")
        var reply = HTTPReply()
        reply.status = Int(head[0].split(separator: " ")[1]) ?? 0
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            reply.headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        reply.body = Array(raw[(split + 4)...])
        return reply
    }
}

extension LoopbackIRCClient {
    struct ReadTimeout: Error {}

    /// Bytes until `marker` has arrived (as text); throws after `timeout` seconds.
    func readAllBytes(until marker: String, timeout: Double) throws -> String {
        var out: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var byte = [UInt8](repeating: 0, count: 1)
        while !String(decoding: out, as: UTF8.self).contains(marker) {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw ReadTimeout() }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(min(left, 1) * 1000)) >= 0 else { throw ReadTimeout() }
            if pfd.revents == 0 { continue }
            guard recv(fd, &byte, 1, 0) == 1 else { throw ReadTimeout() }
            out.append(byte[0])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Every byte until the peer closes; throws after `timeout` seconds of waiting.
    func readAllBytes(timeout: Double) throws -> [UInt8] {
        var out: [UInt8] = []
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw ReadTimeout() }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(min(left, 1) * 1000)) >= 0 else { throw ReadTimeout() }
            if pfd.revents == 0 { continue }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n <= 0 { return out }
            out += chunk[0..<n]
        }
    }
}
#endif
