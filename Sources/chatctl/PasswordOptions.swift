import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a subcommand that sets a password takes it from, in this order:
/// the first line of stdin with `--password-stdin` (scripts), the
/// `CHATCTL_PASSWORD` environment variable, else a prompt on the terminal
/// that does not echo. Never an argument: `ps`, `/proc/<pid>/cmdline` and
/// shell history show arguments to every user of the machine.
///
/// Thread-safety: a command-line program; the main thread only.
struct PasswordOptions: ParsableArguments {
    static let environmentVariable = "CHATCTL_PASSWORD"

    /// For the help of every command that takes one.
    static let discussion = """
        The password is asked for on the terminal, twice, and not echoed. Scripts: pipe it in \
        with --password-stdin, or set \(environmentVariable). It is never taken as an argument, \
        where ps shows it to every user of the machine.
        """

    @Flag(help: "Read the password from the first line of standard input.")
    var passwordStdin = false

    /// No longer accepted. Hidden, and kept only so that an old script gets
    /// told why and what to use instead, not just "unknown option". Taking
    /// it with a warning would not help: by the time chatctl could warn, the
    /// password has already been visible in the process list.
    @Option(help: .hidden)
    var password: String?

    func validate() throws {
        if password != nil {
            throw ValidationError("--password is no longer accepted: it shows the password to every user of this machine (ps, shell history). Type it at the prompt, pipe it in with --password-stdin, or set \(Self.environmentVariable).")
        }
    }

    /// The password for `account`. At the prompt it is asked for twice: a
    /// typo nobody saw would lock the account's owner out.
    func read(account: String) throws -> String {
        let password: String
        if passwordStdin {
            password = try SecretReader.readLine(from: STDIN_FILENO)
        } else if let fromEnvironment = ProcessInfo.processInfo.environment[Self.environmentVariable], !fromEnvironment.isEmpty {
            password = fromEnvironment
        } else {
            let terminal = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard terminal >= 0 else { throw PasswordFailure.noTerminal }
            defer { close(terminal) }
            password = try SecretReader.readLine(from: terminal, prompt: "Password for \(account): ")
            if !password.isEmpty, try SecretReader.readLine(from: terminal, prompt: "Again: ") != password {
                throw PasswordFailure.mismatch
            }
        }
        guard !password.isEmpty else { throw PasswordFailure.empty }
        return password
    }
}
