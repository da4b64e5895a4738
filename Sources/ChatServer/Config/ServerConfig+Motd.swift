import Foundation

extension ServerConfig {
    /// The MOTD lines: from `motdFile` if set, else from `motd`; nil for none.
    public func loadMotd() throws -> [String]? {
        if let file = motdFile {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw ConfigError.invalidValue(file: "config", key: "motdFile", reason: "\(file) cannot be read")
            }
            return Self.motdLines(text)
        }
        return motd.map(Self.motdLines)
    }

    /// Splits on any line ending: LF, CR LF (one `Character` in Swift, so
    /// splitting on "\n" alone would keep it whole), CR, and Unicode's own.
    static func motdLines(_ text: String) -> [String] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if lines.count > 1 && lines.last == "" { lines.removeLast() }  // the file's final newline
        return lines
    }
}
