import Foundation

/// Where a downloaded file goes: the name the server gave, made safe (no
/// path parts), with ` (1)`, ` (2)`… added rather than overwriting a file;
/// written to a temporary name and renamed, so no half file is left.
///
/// Thread-safety: pure apart from the file system; any thread.
enum FileSaving {
    static func freeName(for name: String, in folder: String) -> String {
        var safe = name.split(separator: "/").last.map(String.init) ?? "download"
        if safe.isEmpty || safe == "." || safe == ".." { safe = "download" }
        var candidate = folder + "/" + safe
        var n = 1
        while FileManager.default.fileExists(atPath: candidate) {
            candidate = folder + "/" + safe + " (\(n))"
            n += 1
        }
        return candidate
    }

    static func write(_ bytes: [UInt8], to path: String) throws {
        let temp = path + ".part"
        try Data(bytes).write(to: URL(fileURLWithPath: temp))
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temp, toPath: path)
    }

    /// `812 B`, `548.9 kB`, `1.2 MB`: powers of 1000, as the server's share
    /// notice writes them, so one file shows one size everywhere.
    static func sizeText(_ bytes: Int) -> String {
        bytes < 1000 ? "\(bytes) B" : bytes < 999_950 ? String(format: "%.1f kB", Double(bytes) / 1000) : String(format: "%.1f MB", Double(bytes) / 1_000_000)
    }
}
