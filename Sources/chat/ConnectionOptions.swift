import ArgumentParser
import ChatClient
import Foundation

/// `--server`, `--nick`, `--account`, shared by every subcommand. Defaults
/// come from ~/.config/chat/config.json; the password never from here.
///
/// Thread-safety: main thread (argument parsing).
struct ConnectionOptions: ParsableArguments {
    @Option(help: "Server as HOST:PORT (default: the settings file, else 127.0.0.1:6667).")
    var server: String?

    @Option(help: "Nickname (default: the settings file, else $USER).")
    var nick: String?

    @Option(help: "Log in as this account (SASL SCRAM-SHA-256, PLAIN where the server lacks it). The password comes from $CHAT_PASSWORD, the settings file (mode 0600) or a prompt; never from the command line.")
    var account: String?

    @Option(help: "Settings file.")
    var config: String = ClientSettings.defaultPath()

    /// The client configuration, asking for the password if an account is
    /// named and none is configured (only when `mayPrompt` and on a terminal).
    func clientConfig(mayPrompt: Bool, defaultNick: String) throws -> ClientConfig {
        let settings: ClientSettings
        do { settings = try ClientSettings.load(path: config) } catch {
            throw ChatExit(.usage("\(error)"))
        }
        let env = ProcessInfo.processInfo.environment
        // Logged in, one is known by the account's name unless one says otherwise.
        let nick = self.nick ?? settings.nick ?? (account ?? settings.account) ?? env["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultNick
        var cfg = ClientConfig(nick: nick, server: server ?? settings.server ?? "127.0.0.1:6667")
        if let account = account ?? settings.account {
            guard let password = PasswordSource.password(for: account, settings: settings, environment: env, mayPrompt: mayPrompt) else {
                throw ChatExit(.usage("no password for account \(account): set CHAT_PASSWORD, put it in \(config) (mode 0600), or run on a terminal to be asked"))
            }
            cfg.account = account
            cfg.password = password
        }
        return cfg
    }
}

/// Ends the process with a `ClientFailure`'s message and exit code.
///
/// Thread-safety: a value type; any thread.
struct ChatExit: Error {
    let failure: ClientFailure
    init(_ failure: ClientFailure) { self.failure = failure }
}
