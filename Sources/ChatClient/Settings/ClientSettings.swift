import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `~/.config/chat/config.json`: defaults for `--server`, `--nick`,
/// `--account`, and optionally the password. A file holding a password must
/// be mode 0600 (no group or other bits), or it is refused, as ssh refuses
/// a private key others can read.
///
/// Thread-safety: a value type; any thread.
public struct ClientSettings: Decodable, Equatable {
    public var server: String?
    public var nick: String?
    public var account: String?
    public var password: String?

    public init(server: String? = nil, nick: String? = nil, account: String? = nil, password: String? = nil) {
        self.server = server
        self.nick = nick
        self.account = account
        self.password = password
    }

    /// `$XDG_CONFIG_HOME/chat/config.json`, else `~/.config/chat/config.json`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/chat/config.json" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/chat/config.json"
    }

    /// Reads `path`; a missing file is empty settings.
    public static func load(path: String) throws -> ClientSettings {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return ClientSettings() }
            throw SettingsError.unreadable(path, String(cString: strerror(errno)))
        }
        guard info.st_size <= 64 * 1024 else { throw SettingsError.invalid(path, "larger than 64 KiB") }
        guard let data = FileManager.default.contents(atPath: path) else { throw SettingsError.unreadable(path, "cannot read") }
        let settings: ClientSettings
        do { settings = try JSONDecoder().decode(ClientSettings.self, from: data) } catch {
            throw SettingsError.invalid(path, "not a JSON object with string fields server, nick, account, password")
        }
        if settings.password != nil && info.st_mode & 0o077 != 0 {
            throw SettingsError.tooOpen(path, String(info.st_mode & 0o777, radix: 8))
        }
        return settings
    }
}

/// Why the settings file was refused.
///
/// Thread-safety: a value type; any thread.
public enum SettingsError: Error, Equatable, CustomStringConvertible {
    case unreadable(String, String)
    case invalid(String, String)
    case tooOpen(String, String)

    public var description: String {
        switch self {
        case .unreadable(let p, let why): return "\(p): \(why)"
        case .invalid(let p, let why): return "\(p): \(why)"
        case .tooOpen(let p, let mode): return "\(p) holds a password but has mode \(mode); run chmod 600 \(p)"
        }
    }
}
