import Foundation

/// The folder holding the server's files (database, console socket).
///
/// Thread-safety: any thread (startup only).
public enum DataDirectory {
    public struct NotUsable: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "data folder \(path) is not usable: \(reason)" }
    }

    /// Creates the folder if needed and checks that it is writable.
    public static func prepare(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw NotUsable(path: path, reason: (error as NSError).localizedDescription)
        }
        guard FileManager.default.isWritableFile(atPath: path) else {
            throw NotUsable(path: path, reason: "not writable by this user")
        }
    }
}
