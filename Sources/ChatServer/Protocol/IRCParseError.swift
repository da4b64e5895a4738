/// Why a line is not a valid IRC message.
///
/// Thread-safety: a value type; any thread.
public enum IRCParseError: Error, Equatable, CustomStringConvertible {
    case forbiddenByte(UInt8)
    case emptySource
    case missingCommand
    case invalidCommand

    public var description: String {
        switch self {
        case .forbiddenByte(0): return "Input line contained a NUL byte"
        case .forbiddenByte: return "Input line contained a bare CR or LF"
        case .emptySource: return "Empty message source"
        case .missingCommand: return "No command given"
        case .invalidCommand: return "Malformed command"
        }
    }
}
