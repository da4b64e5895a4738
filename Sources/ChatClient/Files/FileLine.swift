import ChatServer

/// A FILE extension line from the server, in the exact forms of issue #11
/// (docs/FILES.md once it lands). Anything else, or a line with missing or
/// malformed fields, is nil: the caller ignores it.
///
/// Thread-safety: a value type; any thread.
public enum FileLine: Equatable {
    case ready(uploadID: String, maxChunkBytes: Int)
    case stored(fileID: String, name: String, size: Int, sha256: String)
    case begin(fileID: String, name: String, size: Int, sha256: String)
    case data(fileID: String, base64: String)
    case done(fileID: String)
    case entry(FileEntry)
    case endList
    /// `FAIL FILE <CODE> [<context>] :<text>`
    case fail(code: String, context: String?, text: String)

    public init?(_ m: IRCMessage) {
        let p = m.params
        if m.command == "FAIL" {
            guard p.count >= 3, p[0] == "FILE" else { return nil }
            self = .fail(code: p[1], context: p.count > 3 ? p[2] : nil, text: p.last!)
            return
        }
        guard m.command == "FILE", let verb = p.first else { return nil }
        func int(_ i: Int) -> Int? { Int(p[i]).flatMap { $0 >= 0 ? $0 : nil } }
        switch (verb, p.count) {
        case ("READY", 3):
            guard let max = int(2), max > 0 else { return nil }
            self = .ready(uploadID: p[1], maxChunkBytes: max)
        case ("STORED", 5), ("BEGIN", 5):
            guard let size = int(3), FileLine.isHex256(p[4]) else { return nil }
            self = verb == "STORED" ? .stored(fileID: p[1], name: p[2], size: size, sha256: p[4].lowercased())
                : .begin(fileID: p[1], name: p[2], size: size, sha256: p[4].lowercased())
        case ("DATA", 3):
            self = .data(fileID: p[1], base64: p[2])
        case ("DONE", 2):
            self = .done(fileID: p[1])
        case ("ENTRY", 7):
            guard let size = int(3), FileLine.isHex256(p[4]) else { return nil }
            self = .entry(FileEntry(id: p[1], name: p[2], size: size, sha256: p[4].lowercased(), uploader: p[5], time: p[6]))
        case ("END", 2) where p[1] == "LIST":
            self = .endList
        default:
            return nil
        }
    }

    static func isHex256(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || (($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x66) }
    }
}
