/// Why chatctl has no password to send.
///
/// Thread-safety: values; any thread.
enum PasswordFailure: ChatctlFailure {
    /// Neither --password-stdin nor CHATCTL_PASSWORD, and no terminal to ask on.
    case noTerminal
    case empty
    /// The two entries at the prompt differ.
    case mismatch
    case unreadable(String)

    var description: String {
        switch self {
        case .noTerminal:
            return "no terminal to ask for the password on: pipe it in with --password-stdin, or set \(PasswordOptions.environmentVariable)"
        case .empty: return "no password given"
        case .mismatch: return "the passwords differ"
        case .unreadable(let why): return "cannot read the password: \(why)"
        }
    }

    /// 64 (usage) for what the caller can fix; 74 (I/O) for a read that failed.
    var exitCode: Int32 {
        switch self {
        case .unreadable: return 74
        default: return 64
        }
    }
}
