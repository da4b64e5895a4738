/// The head of an HTTP/1.1 response as the benchmark's clients read it (the
/// WebSocket handshake's `101`, the file host's `200`/`206`): status line and
/// header fields, parsed from the received bytes up to the blank line.
///
/// Strict where a wrong answer would skew a run: the status line must be
/// `HTTP/1.x NNN …`, every field line must have a name and a colon, and
/// `Content-Length` must be digits only (two different values are an
/// error). A head longer than `maxBytes` without its blank line is an
/// error, so a server that never ends one cannot grow the buffer.
///
/// Stateless over its input: the caller keeps what was not consumed and
/// offers it again with more.
///
/// Thread-safety: a value type; any thread.
public struct HTTPResponseHead: Equatable {
    public enum Outcome: Equatable {
        case incomplete
        case head(HTTPResponseHead, consumed: Int)
        case failure(HTTPResponseHeadError)
    }

    public var status: Int
    public var reason: String
    /// Field values by lowercased name; repeated fields joined with ", ".
    public var fields: [String: String]

    public init(status: Int, reason: String, fields: [String: String]) {
        self.status = status
        self.reason = reason
        self.fields = fields
    }

    /// A field's value, by case-insensitive name.
    public subscript(_ name: String) -> String? { fields[name.lowercased()] }

    /// `Content-Length`, when present and valid (`parse` refuses invalid ones).
    public var contentLength: Int? { self["Content-Length"].flatMap(Self.digits) }

    /// `Content-Range: bytes first-last/size` of a 206, or nil.
    public var contentRange: (first: Int, last: Int, size: Int)? {
        guard let value = self["Content-Range"], value.hasPrefix("bytes ") else { return nil }
        let parts = value.dropFirst(6).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let size = Self.digits(String(parts[1])) else { return nil }
        let span = parts[0].split(separator: "-", omittingEmptySubsequences: false)
        guard span.count == 2, let first = Self.digits(String(span[0])), let last = Self.digits(String(span[1])),
              first <= last, last < size else { return nil }
        return (first, last, size)
    }

    /// Whether `name` lists `token` (comma-separated, case-insensitive), e.g. `Connection: close`.
    public func has(_ name: String, token: String) -> Bool {
        guard let value = self[name] else { return false }
        return value.split(separator: ",").contains { Self.trim($0).lowercased() == token.lowercased() }
    }

    public static func parse(_ bytes: UnsafeRawBufferPointer, maxBytes: Int = 16 * 1024) -> Outcome {
        guard let end = headEnd(bytes) else {
            return bytes.count > maxBytes ? .failure(HTTPResponseHeadError("no end of head within \(maxBytes) bytes")) : .incomplete
        }
        guard end <= maxBytes else { return .failure(HTTPResponseHeadError("head longer than \(maxBytes) bytes")) }
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[0..<(end - 4)]), as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.removeFirst()
        let words = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard words.count >= 2, words[0] == "HTTP/1.1" || words[0] == "HTTP/1.0",
              words[1].utf8.count == 3, let status = digits(String(words[1])), status >= 100 else {
            return .failure(HTTPResponseHeadError("status line \(String(statusLine.prefix(80)).debugDescription)"))
        }
        var fields: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex,
                  !line[..<colon].contains(" "), !line[..<colon].contains("\t") else {
                return .failure(HTTPResponseHeadError("field line \(String(line.prefix(80)).debugDescription)"))
            }
            let name = line[..<colon].lowercased()
            let value = trim(line[line.index(after: colon)...])
            if let old = fields[name] {
                if name == "content-length" && old != value { return .failure(HTTPResponseHeadError("two different Content-Length values")) }
                if name != "content-length" { fields[name] = old + ", " + value }
            } else {
                fields[name] = value
            }
        }
        if let length = fields["content-length"], digits(length) == nil {
            return .failure(HTTPResponseHeadError("Content-Length \(length.debugDescription)"))
        }
        let reason = words.count > 2 ? String(words[2]) : ""
        return .head(HTTPResponseHead(status: status, reason: reason, fields: fields), consumed: end)
    }

    /// The offset just past the first CR LF CR LF, or nil.
    static func headEnd(_ b: UnsafeRawBufferPointer) -> Int? {
        guard b.count >= 4 else { return nil }
        var i = 3
        while i < b.count {
            if b[i] == 10 && b[i - 1] == 13 && b[i - 2] == 10 && b[i - 3] == 13 { return i + 1 }
            i += 1
        }
        return nil
    }

    /// Digits only, at most 15 (no sign, no overflow).
    static func digits(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 15, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    static func trim<S: StringProtocol>(_ s: S) -> String {
        String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
