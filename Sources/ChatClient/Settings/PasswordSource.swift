import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where an account's password comes from, never the command line: the
/// `CHAT_PASSWORD` environment variable, the settings file (mode 0600), or a
/// prompt on the terminal with echo off.
///
/// Thread-safety: call from the main thread before the loop runs (the prompt blocks).
public enum PasswordSource {
    public static let environmentKey = "CHAT_PASSWORD"

    /// The password from the environment or the settings, or by prompting if
    /// `mayPrompt` and standard input is a terminal; nil if none can be had.
    public static func password(for account: String, settings: ClientSettings,
                                environment: [String: String] = ProcessInfo.processInfo.environment,
                                mayPrompt: Bool) -> String? {
        if let value = environment[environmentKey], !value.isEmpty { return value }
        if let value = settings.password, !value.isEmpty { return value }
        guard mayPrompt, isatty(STDIN_FILENO) == 1 else { return nil }
        return prompt("Password for \(account): ")
    }

    /// Reads one line from the terminal with echo turned off (restored after).
    public static func prompt(_ text: String) -> String? {
        FileHandle.standardError.write(Data(text.utf8))
        var saved = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if haveTerminal {
            var quiet = saved
            quiet.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
        }
        defer {
            if haveTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) }
            FileHandle.standardError.write(Data("\n".utf8))
        }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else { return nil }
        return line
    }
}
