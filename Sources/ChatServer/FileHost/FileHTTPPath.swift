import Foundation

/// The parts of a `/files…` request target: `/files` (uploads) or
/// `/files/<id>[/<name>]` (downloads; the name is for people and players,
/// the id decides), and the percent-decoded `target` query parameter.
///
/// Thread-safety: a value type; any thread.
enum FileHTTPPath: Equatable {
    case collection
    case file(id: Int64)

    init?(path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.first == "files" else { return nil }
        if parts.count == 1 { self = .collection; return }
        guard parts.count <= 3, let id = FileRequest.wholeNumber(String(parts[1])) else { return nil }
        self = .file(id: Int64(id))
    }

    /// A query parameter, percent-decoded (`+` is a space, as forms send it).
    static func queryValue(_ name: String, in query: String?) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard kv.count == 2, kv[0] == name else { continue }
            return HeaderText.percentDecode(kv[1].replacingOccurrences(of: "+", with: " "))
        }
        return nil
    }

    /// `/files/<id>/<name>` with the name percent-encoded (unreserved characters kept).
    static func location(id: Int64, name: String) -> String {
        var out = "/files/\(id)/"
        for byte in name.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E: out.append(Character(UnicodeScalar(byte)))
            default: out += "%" + String(byte, radix: 16, uppercase: true).leftPadded
            }
        }
        return out
    }
}

private extension String {
    var leftPadded: String { count == 1 ? "0" + self : self }
}
