/// A small, strict HTTP/1.x request-head parser (RFC 9112), written for this
/// server rather than taken from a package: a fresh machine has no HTTP
/// parser library, and this one is short enough to read whole and is fuzzed
/// (`Fuzz/Sources/FuzzHTTPRequest`).
///
/// Strict means: CR LF line ends only; a method is a token, and one HTTP
/// defines (RFC 9110 §9, and PATCH), else 501; the target is origin-form
/// (`/…`, or `*` for OPTIONS) of visible ASCII without a fragment, or
/// absolute-form (`http://host/…`, which an origin server must accept, RFC
/// 9112 §3.2.2: its authority then stands for `Host`); the version is
/// `HTTP/1.0` or `HTTP/1.1` (other `HTTP/x.y` get 505); no space before a
/// header's colon, no folded lines, no control bytes in values; HTTP/1.1 needs
/// exactly one `Host`, whose value is a host and optional port (§3.2);
/// `Content-Length` is digits and consistent;
/// `Transfer-Encoding` is exactly `chunked` (the body is then decoded by
/// `ChunkedBodyDecoder`), never together with `Content-Length`, so a body's
/// length is never ambiguous (no request smuggling through a disagreeing
/// front end); other codings get 501 or 400 (`checkTransferEncoding`). Up to one empty
/// line before the request line is skipped, as RFC 9112 §2.2 allows.
///
/// It is stateless over its input: the connection keeps the unconsumed bytes
/// and offers them again with more, so a head split anywhere parses the same.
///
/// Thread-safety: a value type; any thread.
public struct HTTPRequestParser {
    public var limits: HTTPLimits

    public init(limits: HTTPLimits = HTTPLimits()) {
        self.limits = limits
    }

    public enum Outcome: Equatable {
        /// No complete head yet, and what there is stays within the limits.
        case incomplete
        /// A head, and how many bytes of the input it took (the body follows).
        case head(HTTPRequestHead, consumed: Int)
        case failure(HTTPParseError)
    }

    public func parse(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        var start = 0
        // One empty line before a request is tolerated (a client's stray CR LF
        // after a previous body).
        if bytes.count >= 2 && bytes[0] == 13 && bytes[1] == 10 { start = 2 }
        guard let end = Self.headEnd(bytes, from: start) else {
            let pending = bytes.count - start
            if Self.firstLineEnd(bytes, from: start) == nil && pending > limits.maxRequestLineBytes {
                return .failure(HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes"))
            }
            if pending > limits.maxHeaderBytes {
                return .failure(HTTPParseError(.headerFieldsTooLarge, "request head longer than \(limits.maxHeaderBytes) bytes"))
            }
            // A bare LF or a NUL can be rejected before the head completes.
            if let bad = Self.earlyProblem(bytes, from: start) { return .failure(bad) }
            return .incomplete
        }
        if end - start > limits.maxHeaderBytes {
            return .failure(HTTPParseError(.headerFieldsTooLarge, "request head longer than \(limits.maxHeaderBytes) bytes"))
        }
        do {
            let head = try parseHead(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
            return .head(head, consumed: end + 4)
        } catch let error as HTTPParseError {
            return .failure(error)
        } catch {
            return .failure(.bad("unreadable request"))
        }
    }

    /// The offset of the CR LF CR LF ending the head, if present.
    static func headEnd(_ b: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        while i + 3 < b.count {
            if b[i + 3] != 10 { i += (b[i + 3] == 13 ? 1 : 4); continue }  // skip ahead on bytes that cannot end it
            if b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 { return i }
            i += 1
        }
        return nil
    }

    static func firstLineEnd(_ b: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var i = start
        while i + 1 < b.count {
            if b[i] == 13 && b[i + 1] == 10 { return i }
            i += 1
        }
        return nil
    }

    static func earlyProblem(_ b: UnsafeRawBufferPointer, from start: Int) -> HTTPParseError? {
        var previous: UInt8 = 0
        for i in start..<b.count {
            let c = b[i]
            if c == 0 { return .bad("NUL byte in request head") }
            if c == 10 && previous != 13 { return .bad("bare LF in request head: lines end with CR LF") }
            previous = c
        }
        return nil
    }

    /// Parses the head without its final CR LF CR LF.
    func parseHead(_ b: UnsafeRawBufferPointer) throws -> HTTPRequestHead {
        var lines: [Range<Int>] = []
        var lineStart = 0, i = 0
        while i < b.count {
            let c = b[i]
            if c == 13 {
                guard i + 1 < b.count, b[i + 1] == 10 else { throw HTTPParseError.bad("CR without LF in request head") }
                lines.append(lineStart..<i)
                i += 2
                lineStart = i
                continue
            }
            if c == 10 { throw HTTPParseError.bad("bare LF in request head: lines end with CR LF") }
            i += 1
        }
        lines.append(lineStart..<b.count)
        guard let first = lines.first else { throw HTTPParseError.bad("empty request") }
        if first.count + 2 > limits.maxRequestLineBytes {
            throw HTTPParseError(.uriTooLong, "request line longer than \(limits.maxRequestLineBytes) bytes")
        }
        var head = try parseRequestLine(UnsafeRawBufferPointer(rebasing: b[first]))
        if lines.count - 1 > limits.maxHeaderCount {
            throw HTTPParseError(.headerFieldsTooLarge, "more than \(limits.maxHeaderCount) header fields")
        }
        for range in lines.dropFirst() {
            let (name, value) = try Self.parseField(UnsafeRawBufferPointer(rebasing: b[range]))
            head.headers.add(name, value)
        }
        try checkFraming(&head)
        return head
    }

    func parseRequestLine(_ line: UnsafeRawBufferPointer) throws -> HTTPRequestHead {
        guard let sp1 = line.firstIndex(of: 0x20) else { throw HTTPParseError.bad("malformed request line") }
        guard let sp2 = line[(sp1 + 1)...].firstIndex(of: 0x20) else { throw HTTPParseError.bad("malformed request line") }
        let method = UnsafeRawBufferPointer(rebasing: line[..<sp1])
        let target = UnsafeRawBufferPointer(rebasing: line[(sp1 + 1)..<sp2])
        let version = UnsafeRawBufferPointer(rebasing: line[(sp2 + 1)...])
        guard !method.isEmpty, method.allSatisfy(Self.isTokenByte) else { throw HTTPParseError.bad("malformed method") }
        guard !target.isEmpty, target.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw HTTPParseError.bad("malformed request target") }
        let methodText = String(decoding: method, as: UTF8.self)
        var targetText = String(decoding: target, as: UTF8.self)
        var authority: String?
        if target[0] != UInt8(ascii: "/"), let (host, rest) = Self.absoluteForm(targetText) {
            authority = host
            targetText = rest
        }
        guard targetText.hasPrefix("/") || (targetText == "*" && methodText == "OPTIONS") else {
            throw HTTPParseError.bad("request target must be a path starting with /")
        }
        guard !target.contains(UInt8(ascii: "#")) else { throw HTTPParseError.bad("a request target has no fragment (#)") }
        let versionText = String(decoding: version, as: UTF8.self)
        guard let v = HTTPVersion(rawValue: versionText) else {
            let digits = version.count == 8 && versionText.hasPrefix("HTTP/")
                && version[5] >= 0x30 && version[5] <= 0x39 && version[6] == UInt8(ascii: ".") && version[7] >= 0x30 && version[7] <= 0x39
            if digits { throw HTTPParseError(.versionNotSupported, "only HTTP/1.0 and HTTP/1.1 are spoken here") }
            throw HTTPParseError.bad("malformed HTTP version")
        }
        guard Self.methods.contains(methodText) else {
            throw HTTPParseError(.notImplemented, "the method \(methodText) is not implemented here")
        }
        var head = HTTPRequestHead(method: methodText, target: targetText, version: v)
        head.authority = authority
        return head
    }

    /// The methods HTTP defines (RFC 9110 §9.3, and PATCH, RFC 5789); any
    /// other is answered 501 (§9.1), whatever the path.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"]

    /// `http://host[:port]/path?query` (scheme in any case; `https` too):
    /// the authority and the origin-form rest (`/` when the path is empty).
    /// Nil when `target` is not of that form, or has user info.
    static func absoluteForm(_ target: String) -> (authority: String, rest: String)? {
        let lower = target.lowercased()
        guard let scheme = ["http://", "https://"].first(where: { lower.hasPrefix($0) }) else { return nil }
        let afterScheme = target.dropFirst(scheme.count)
        let end = afterScheme.firstIndex { $0 == "/" || $0 == "?" } ?? afterScheme.endIndex
        let authority = String(afterScheme[..<end])
        guard !authority.isEmpty, isHostValue(authority) else { return nil }
        let rest = afterScheme[end...]
        return (authority, rest.hasPrefix("/") ? String(rest) : "/" + rest)
    }

    /// RFC 9112 §3.2 / RFC 3986 §3.2.2: `uri-host [ ":" port ]`: letters,
    /// digits, `-._~`, percent escapes, sub-delims, and `:[]` for IPv6
    /// literals and the port. No space, `/`, `@`, `?` or `#`.
    static func isHostValue(_ value: String) -> Bool {
        value.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
                || "-._~%!$&'()*+,;=:[]".utf8.contains(b)
        }
    }

    /// One `name: value` line (a header field, or a trailer field of a chunked body).
    static func parseField(_ line: UnsafeRawBufferPointer) throws -> (String, String) {
        if let c = line.first, c == 0x20 || c == 0x09 { throw HTTPParseError.bad("folded header lines are not accepted") }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { throw HTTPParseError.bad("header field without a colon") }
        let name = UnsafeRawBufferPointer(rebasing: line[..<colon])
        guard !name.isEmpty, name.allSatisfy(Self.isTokenByte) else { throw HTTPParseError.bad("malformed header field name") }
        var from = colon + 1, to = line.count
        while from < to, line[from] == 0x20 || line[from] == 0x09 { from += 1 }
        while to > from, line[to - 1] == 0x20 || line[to - 1] == 0x09 { to -= 1 }
        let value = UnsafeRawBufferPointer(rebasing: line[from..<to])
        // VCHAR, SP, HTAB and obs-text; no other control byte.
        guard value.allSatisfy({ $0 >= 0x20 && $0 != 0x7F || $0 == 0x09 }) else {
            throw HTTPParseError.bad("control character in header field \(String(decoding: name, as: UTF8.self))")
        }
        // Values are kept as text; bytes that are not UTF-8 (obs-text) become U+FFFD.
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self))
    }

    /// Host and body framing (RFC 9112 §6.3, §3.2).
    func checkFraming(_ head: inout HTTPRequestHead) throws {
        let hosts = head.headers.values("Host")
        if head.version == .http11 && hosts.count != 1 { throw HTTPParseError.bad("an HTTP/1.1 request needs exactly one Host header") }
        if hosts.count > 1 { throw HTTPParseError.bad("more than one Host header") }
        // An absolute-form target's authority is the host, and the Host field
        // is ignored (RFC 9112 §3.2.2); otherwise Host must be a host.
        if let authority = head.authority {
            head.headers.set("Host", authority)
        } else if let host = hosts.first, !Self.isHostValue(host) {
            throw HTTPParseError.bad("malformed Host header")
        }
        if !head.headers.values("Transfer-Encoding").isEmpty {
            try checkTransferEncoding(&head)
            return
        }
        var length: Int?
        for value in head.headers.values("Content-Length") {
            for part in value.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = HTTPHeaders.trim(part)
                guard !digits.isEmpty, digits.utf8.count <= 15, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int(digits) else {
                    throw HTTPParseError.bad("malformed Content-Length")
                }
                if let length, length != n { throw HTTPParseError.bad("conflicting Content-Length values") }
                length = n
            }
        }
        head.contentLength = length ?? 0
    }

    /// RFC 9112 §6.1, §6.3: the only transfer coding read is `chunked`,
    /// alone. With a `Content-Length` as well the length is ambiguous (the
    /// shape of request smuggling): 400. `chunked` not last, or twice, leaves
    /// the body's end unknown: 400. Another coding before `chunked` (gzip…)
    /// is well framed but not implemented: 501. HTTP/1.0 has no transfer
    /// codings, so one there is a framing fault: 400.
    func checkTransferEncoding(_ head: inout HTTPRequestHead) throws {
        if !head.headers.values("Content-Length").isEmpty {
            throw HTTPParseError.bad("both Transfer-Encoding and Content-Length")
        }
        if head.version == .http10 { throw HTTPParseError.bad("Transfer-Encoding in an HTTP/1.0 request") }
        let codings = head.headers.tokens("Transfer-Encoding")
        guard let last = codings.last else { throw HTTPParseError.bad("empty Transfer-Encoding") }
        guard last == "chunked" else {
            throw HTTPParseError.bad("Transfer-Encoding must end with chunked, or the body's end is unknown")
        }
        if codings.dropLast().contains("chunked") { throw HTTPParseError.bad("chunked applied more than once") }
        guard codings.count == 1 else {
            throw HTTPParseError(.notImplemented, "only the chunked transfer coding is supported, not \(codings.dropLast().joined(separator: ", "))")
        }
        head.chunked = true
        head.contentLength = 0
    }

    /// tchar of RFC 9110 §5.6.2.
    static func isTokenByte(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(c)
        }
    }
}
