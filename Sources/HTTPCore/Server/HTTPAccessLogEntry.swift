/// One line of the access log: written when a response is finished (or the
/// connection switched protocols, or closed before the response finished).
///
/// Thread-safety: a value type; any thread.
public struct HTTPAccessLogEntry: Equatable, CustomStringConvertible {
    public var peer: String
    public var method: String
    public var target: String
    public var status: Int
    /// Body bytes sent (not the head).
    public var bytes: Int
    public var millis: Double
    /// Set when the response did not finish (the peer left, the stream was cut).
    public var note: String?

    public var description: String {
        let ms = (millis * 10).rounded() / 10
        return "http \(peer) \"\(method) \(target.escapedForAccessLog)\" \(status) \(bytes) \(ms)ms" + (note.map { " (\($0))" } ?? "")
    }
}

extension String {
    /// Control bytes and quotes as escapes, so a target cannot forge log lines.
    var escapedForAccessLog: String {
        var out = ""
        for scalar in unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar == "\"" || scalar == "\\" {
                out += "\\x" + String(scalar.value, radix: 16)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
