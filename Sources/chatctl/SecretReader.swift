import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal whose echo is off, and how it was: what the signal handler
/// puts back.
private nonisolated(unsafe) var echoOff: (fd: Int32, saved: termios)?

/// Puts the terminal's echo back, then dies of the signal as it would have:
/// a ^C at the prompt must not leave the user's shell typing blind.
private func restoreTerminalAndDie(_ signo: Int32) {
    if var state = echoOff { tcsetattr(state.fd, TCSANOW, &state.saved) }
    signal(signo, SIG_DFL)
    raise(signo)
}

/// Reads one line of a secret from a file descriptor; when that is a
/// terminal, with its echo off for the read and back on afterwards (also
/// if a signal ends the program meanwhile). Not getpass(3): it is obsolete,
/// and it turns signals off, so ^C at its prompt becomes part of the password.
///
/// Thread-safety: the main thread only (it swaps process-wide signal handlers).
enum SecretReader {
    /// Signals that end a program waiting at a prompt.
    private static let endingSignals = [SIGINT, SIGTERM, SIGHUP, SIGQUIT]

    /// The line without its line ending; `prompt` goes to `fd` first when it
    /// is a terminal. End of input before any byte gives "".
    static func readLine(from fd: Int32, prompt: String? = nil) throws -> String {
        var saved = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &saved) == 0 else { return try readBytes(fd) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        echoOff = (fd, saved)
        let previous = endingSignals.map { signal($0, restoreTerminalAndDie) }
        // A blocked SIGINT (a mask inherited from whatever started us: a
        // thread that blocks signals for a signalfd, say) would turn ^C into
        // nothing but a flushed line, and Enter after it into an empty
        // password: ^C must end the program here, so they are unblocked for
        // the prompt and the caller's mask comes back afterwards.
        var ending = sigset_t(), callersMask = sigset_t()
        sigemptyset(&ending)
        for signo in endingSignals { sigaddset(&ending, signo) }
        pthread_sigmask(SIG_UNBLOCK, &ending, &callersMask)
        defer {
            tcsetattr(fd, TCSANOW, &saved)
            echoOff = nil
            for (signo, handler) in zip(endingSignals, previous) { signal(signo, handler) }
            pthread_sigmask(SIG_SETMASK, &callersMask, nil)
            // The Enter that ended the line was not echoed either.
            _ = write(fd, "\n", 1)
        }
        // Echo off before the prompt shows, so nothing typed in answer to it
        // is ever echoed; TCSAFLUSH drops what was typed before it showed.
        guard tcsetattr(fd, TCSAFLUSH, &quiet) == 0 else { throw PasswordFailure.unreadable(String(cString: strerror(errno))) }
        if let prompt { _ = prompt.utf8CString.withUnsafeBytes { write(fd, $0.baseAddress, $0.count - 1) } }
        return try readBytes(fd)
    }

    /// Bytes up to the first LF (a CR before it dropped too) or the end of input.
    private static func readBytes(_ fd: Int32) throws -> String {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw PasswordFailure.unreadable(String(cString: strerror(errno))) }
            if n == 0 || byte == UInt8(ascii: "\n") { break }
            line.append(byte)
        }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return String(decoding: line, as: UTF8.self)
    }
}
