/// What counts as a text file: valid UTF-8 with no NUL byte.
///
/// Thread-safety: stateless; any thread (run on workers: it walks the whole file).
public enum TextContent {
    public static func isText(_ bytes: [UInt8]) -> Bool {
        if bytes.contains(0) { return false }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }
}
