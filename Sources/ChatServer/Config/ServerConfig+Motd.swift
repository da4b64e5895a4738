import Foundation

extension ServerConfig {
    /// The MOTD lines: from `motdFile` if set, else from `motd`; nil for none.
    public func loadMotd() throws -> [String]? {
        if let file = motdFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ConfigError.invalidValue(file: "config", key: "motdFile", reason: "\(file) cannot be read")
            }
            return text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        return motd.map { $0.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
    }
}
