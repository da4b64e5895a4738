/// A `Range: bytes=…` request header against a file of known size
/// (RFC 9110 §14.1.2). One range is served as 206; several, or a header we
/// do not understand, are ignored and the whole file is sent (the RFC lets
/// a server ignore Range), which is what media players cope with anyway:
/// they seek with one range per request.
///
/// Thread-safety: a value type; any thread.
public enum ByteRange: Equatable {
    /// No usable Range header: send everything (200).
    case whole
    /// Bytes `first...last` (206 with `Content-Range: bytes first-last/size`).
    case part(first: Int, last: Int)
    /// A well-formed range that starts past the end (416, `Content-Range: bytes */size`).
    case unsatisfiable

    public init(header: String?, size: Int) {
        guard let header else { self = .whole; return }
        let trimmed = HeaderText.trim(header)
        guard trimmed.lowercased().hasPrefix("bytes=") else { self = .whole; return }
        let specs = trimmed.dropFirst(6).split(separator: ",", omittingEmptySubsequences: false)
        guard specs.count == 1 else { self = .whole; return }
        let spec = HeaderText.trim(specs[0])
        guard let dash = spec.firstIndex(of: "-") else { self = .whole; return }
        let startText = String(spec[spec.startIndex..<dash]), endText = String(spec[spec.index(after: dash)...])
        if startText.isEmpty {
            // bytes=-N: the last N bytes.
            guard let suffix = Self.number(endText) else { self = .whole; return }
            guard suffix > 0, size > 0 else { self = .unsatisfiable; return }
            self = .part(first: max(0, size - suffix), last: size - 1)
            return
        }
        guard let first = Self.number(startText) else { self = .whole; return }
        var last = size - 1
        if !endText.isEmpty {
            guard let end = Self.number(endText), end >= first else { self = .whole; return }
            last = min(end, size - 1)
        }
        guard first < size else { self = .unsatisfiable; return }
        self = .part(first: first, last: last)
    }

    /// Digits only, at most 15 (no sign, no overflow).
    static func number(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.count <= 15, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(text)
    }
}
