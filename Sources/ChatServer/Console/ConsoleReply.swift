import Foundation

/// A console answer: one JSON object on one line.
///
/// Thread-safety: a value type; any thread.
public enum ConsoleReply {
    case ok([String: Any])
    case error(ConsoleError)

    /// The protocol version, sent in every `status` and in `hello`.
    public static let protocolVersion = 1

    public var line: Data {
        var object: [String: Any]
        switch self {
        case .ok(let fields):
            object = fields
            object["ok"] = true
        case .error(let error):
            object = ["ok": false, "error": error.description]
        }
        var data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(#"{"ok":false,"error":"unencodable reply"}"#.utf8)
        data.append(0x0A)
        return data
    }
}
