/// One FILE command from a client, parsed and checked for shape (not yet
/// against any state). Parsing is pure, so the fuzz target drives it
/// directly.
///
/// Thread-safety: a value type; any thread.
public enum FileRequest: Equatable {
    case upload(target: String, filename: String, size: Int, sha256: String)
    case chunk(uploadID: String, base64: String)
    case end(uploadID: String)
    case abort(uploadID: String)
    case get(fileID: Int64)
    case list(target: String)
    case delete(fileID: Int64)
    /// A short-lived token for the web side (files over HTTP); see docs/FILES.md.
    case token

    /// Parses the parameters after `FILE` (the subcommand first).
    /// - Parameter maxBytes: sizes above it are `TOO_LARGE`.
    public init(params: [String], maxBytes: Int) throws {
        guard let verb = params.first?.uppercased() else {
            throw FileFailure(.invalidParams, nil, "FILE needs a subcommand: UPLOAD, CHUNK, END, ABORT, GET, LIST, DELETE or TOKEN")
        }
        let args = Array(params.dropFirst())
        func need(_ count: Int, _ usage: String) throws {
            guard args.count >= count else { throw FileFailure(.invalidParams, verb, "Usage: FILE \(verb) \(usage)") }
        }
        switch verb {
        case "UPLOAD":
            try need(4, "<target> <filename> <size> <sha256-hex>")
            try FileNameRules.check(args[1])
            guard let size = Self.wholeNumber(args[2]) else {
                throw FileFailure(.invalidParams, args[2], "Size must be a whole number of bytes")
            }
            // As over HTTP: an empty share is refused, there is nothing to read.
            guard size > 0 else { throw FileFailure(.invalidParams, args[2], "The file is empty") }
            guard size <= maxBytes else { throw FileFailure(.tooLarge, args[2], "Files may be at most \(maxBytes) bytes") }
            let hash = args[3].lowercased()
            guard hash.utf8.count == 64, hash.utf8.allSatisfy({ Self.isHexDigit($0) }) else {
                throw FileFailure(.invalidParams, args[3], "The SHA-256 must be 64 hexadecimal digits")
            }
            self = .upload(target: args[0], filename: args[1], size: size, sha256: hash)
        case "CHUNK":
            try need(2, "<upload-id> :<base64>")
            self = .chunk(uploadID: args[0], base64: args[1])
        case "END":
            try need(1, "<upload-id>")
            self = .end(uploadID: args[0])
        case "ABORT":
            try need(1, "<upload-id>")
            self = .abort(uploadID: args[0])
        case "GET", "DELETE":
            try need(1, "<file-id>")
            guard let id = Self.wholeNumber(args[0]).map(Int64.init) else {
                throw FileFailure(.noSuchFile, args[0], "No such file")
            }
            self = verb == "GET" ? .get(fileID: id) : .delete(fileID: id)
        case "LIST":
            try need(1, "<target>")
            self = .list(target: args[0])
        case "TOKEN":
            self = .token
        default:
            throw FileFailure(.invalidParams, verb, "Unknown FILE subcommand")
        }
    }

    /// The bytes of one `FILE CHUNK` payload: strict base64 of 1…`maxBytes`
    /// bytes, or `BAD_CHUNK` (what the server applies to every chunk).
    public static func chunkBytes(_ base64: String, maxBytes: Int, uploadID: String) throws -> [UInt8] {
        try UploadAssembly.decode(base64, maxBytes: maxBytes, uploadID: uploadID)
    }

    /// The subcommand, for replies.
    public var verb: String {
        switch self {
        case .upload: return "UPLOAD"
        case .chunk: return "CHUNK"
        case .end: return "END"
        case .abort: return "ABORT"
        case .get: return "GET"
        case .list: return "LIST"
        case .delete: return "DELETE"
        case .token: return "TOKEN"
        }
    }

    /// Decimal digits only (no sign, no spaces), at most 15 of them, so the
    /// value always fits and never traps.
    static func wholeNumber(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 15, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)
    }
}
