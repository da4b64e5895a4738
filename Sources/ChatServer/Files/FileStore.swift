#if canImport(Glibc)
import Glibc
#endif

/// The bytes of shared files, content-addressed: `<dir>/<sha256>`, so the
/// same file shared twice is stored once and no user-chosen name ever
/// reaches the file system. A write goes to `<dir>/tmp/`, is fsynced,
/// renamed into place, and the folder is fsynced, so after a crash a blob
/// is either complete or absent. Every method blocks: workers only.
///
/// Thread-safety: any thread; concurrent writes of the same hash are safe
/// (the rename is atomic and the content is the same).
public final class FileStore {
    public let directory: String
    var tmpDirectory: String { directory + "/tmp" }

    public init(directory: String) {
        self.directory = directory
    }

    public func path(of sha256: String) -> String { directory + "/" + sha256 }

    /// Writes `bytes` as the blob `sha256` durably, unless it is already there.
    public func write(_ bytes: [UInt8], sha256: String) throws {
        try makeDirectories()
        let final = path(of: sha256)
        if access(final, F_OK) == 0 { return }  // already stored (and synced when it was)
        let temp = "\(tmpDirectory)/\(sha256).\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileStoreError(operation: "open", path: temp, errno: errno) }
        do {
            try FileStoreError.writeAll(bytes, to: fd, path: temp)
            guard fsync(fd) == 0 else { throw FileStoreError(operation: "fsync", path: temp, errno: errno) }
            guard close(fd) == 0 else { throw FileStoreError(operation: "close", path: temp, errno: errno) }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        guard rename(temp, final) == 0 else {
            let code = errno
            unlink(temp)
            throw FileStoreError(operation: "rename", path: final, errno: code)
        }
        // The rename is durable only once the folder's entry is on disk.
        try syncDirectory(directory)
    }

    /// The blob's bytes.
    public func read(sha256: String) throws -> [UInt8] {
        let file = path(of: sha256)
        let fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FileStoreError(operation: "open", path: file, errno: errno) }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw FileStoreError(operation: "read", path: file, errno: errno)
            }
            if n == 0 { return out }
            out += buffer[0..<n]
        }
    }

    /// Removes a blob no share names any more (a missing one is fine).
    public func remove(sha256: String) throws {
        if unlink(path(of: sha256)) != 0 && errno != ENOENT {
            throw FileStoreError(operation: "unlink", path: path(of: sha256), errno: errno)
        }
    }

    /// At startup: deletes temp files of interrupted writes and blobs that
    /// no row names (written just before a crash, before their row). Returns
    /// how many were removed.
    @discardableResult
    public func sweep(keeping hashes: Set<String>) -> Int {
        var removed = 0
        for name in entries(of: tmpDirectory) where unlink("\(tmpDirectory)/\(name)") == 0 { removed += 1 }
        for name in entries(of: directory) where name != "tmp" && !hashes.contains(name) {
            if unlink("\(directory)/\(name)") == 0 { removed += 1 }
        }
        return removed
    }

    private func entries(of folder: String) -> [String] {
        guard let dir = opendir(folder) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    func makeDirectories() throws {
        for folder in [directory, tmpDirectory] where mkdir(folder, 0o700) != 0 && errno != EEXIST {
            throw FileStoreError(operation: "mkdir", path: folder, errno: errno)
        }
    }

    func syncDirectory(_ folder: String) throws {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw FileStoreError(operation: "open", path: folder, errno: errno) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw FileStoreError(operation: "fsync", path: folder, errno: errno) }
    }
}
