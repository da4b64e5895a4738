import CoreLoop
import HTTPCore
#if canImport(Glibc)
import Glibc
#endif

/// Serves the web page from `http.webRoot`: `GET /` is `index.html`,
/// `/static/<path>` and top-level `/<name>` are files in the folder. Files
/// are read on a worker (never on the loop), at most `maxFileBytes` each.
/// Only plain names are served: no `..`, no hidden files, no percent escapes;
/// anything else is 404. Without the folder every page route answers 404
/// saying so.
///
/// Thread-safety: loop thread only; the reads run on the offloader's threads.
public final class StaticFileResponder: HTTPResponder {
    public let root: String
    let reader: Offloader
    /// Larger files are refused (the page's files are small; uploads are not served from here).
    public var maxFileBytes = 8 * 1024 * 1024

    public init(root: String, reader: Offloader) {
        self.root = root
        self.reader = reader
    }

    enum ReadResult {
        case file([UInt8])
        case noRoot
        case notFound
        case tooLarge
    }

    public func allowedMethods(for head: HTTPRequestHead) -> [String]? { ["GET", "HEAD"] }

    public func respond(to request: HTTPRequest, via exchange: HTTPExchange) {
        guard let relative = Self.relativePath(for: request.path) else {
            return exchange.respond(.text(.notFound, "No such page: \(request.path)"))
        }
        let root = self.root, limit = maxFileBytes
        reader.offload({ Self.read(root: root, relative: relative, limit: limit) }) { [root] result in
            switch result {
            case .success(.file(let bytes)):
                exchange.respond(.bytes(.ok, contentType: Self.contentType(for: relative), bytes,
                                        headers: HTTPHeaders([("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")])))
            case .success(.noRoot):
                exchange.respond(.text(.notFound, "The web page is not installed: the folder '\(root)' (http.webRoot) does not exist"))
            case .success(.notFound):
                exchange.respond(.text(.notFound, "No such page: \(request.path)"))
            case .success(.tooLarge):
                exchange.respond(.text(.forbidden, "File too large to serve"))
            case .failure(let error):
                exchange.respond(.text(.serviceUnavailable, "Could not read the file: \(error)"))
            }
        }
    }

    /// The file under the root a path names, or nil if it names none we serve.
    static func relativePath(for path: String) -> String? {
        if path == "/" { return "index.html" }
        var rest = Substring(path.dropFirst())
        if rest.hasPrefix("static/") { rest = rest.dropFirst("static/".count) }
        guard !rest.isEmpty, rest.utf8.count <= 255 else { return nil }
        for segment in rest.split(separator: "/", omittingEmptySubsequences: false) {
            guard !segment.isEmpty, segment.first != ".",
                  segment.utf8.allSatisfy({ isalnum(Int32($0)) != 0 || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }) else {
                return nil
            }
        }
        return String(rest)
    }

    /// Blocking: runs on a worker.
    static func read(root: String, relative: String, limit: Int) -> ReadResult {
        var info = stat()
        guard stat(root, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else { return .noRoot }
        let fd = open(root + "/" + relative, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .notFound }
        defer { close(fd) }
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return .notFound }
        guard info.st_size <= limit else { return .tooLarge }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return .file(Array(bytes[..<done]))
    }

    static let types: [String: String] = [
        "html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "mjs": "text/javascript; charset=utf-8",
        "css": "text/css; charset=utf-8", "json": "application/json", "svg": "image/svg+xml", "png": "image/png",
        "ico": "image/x-icon", "txt": "text/plain; charset=utf-8", "woff2": "font/woff2", "map": "application/json",
    ]

    static func contentType(for name: String) -> String {
        guard let dot = name.lastIndex(of: ".") else { return "application/octet-stream" }
        return types[name[name.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
