#if canImport(Glibc)
import Glibc
#endif

/// Files that arrive over HTTP are written to a temp file as they come
/// (`UploadSpool`), so the store takes a finished, fsynced temp file
/// instead of bytes in memory: rename into place, then fsync the folder.
extension FileStore {
    /// A new temp file in `<dir>/tmp/` (mode 0600), open for writing.
    func createTemp() throws -> (path: String, fd: Int32) {
        try makeDirectories()
        let temp = "\(tmpDirectory)/http.\(getpid()).\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileStoreError(operation: "open", path: temp, errno: errno) }
        return (temp, fd)
    }

    /// Moves the synced temp file in as blob `sha256` (or drops it when that
    /// blob is already stored), and makes the rename durable.
    func adopt(temp: String, sha256: String) throws {
        let final = path(of: sha256)
        if access(final, F_OK) == 0 {
            unlink(temp)
            return
        }
        guard rename(temp, final) == 0 else {
            let code = errno
            unlink(temp)
            throw FileStoreError(operation: "rename", path: final, errno: code)
        }
        try syncDirectory(directory)
    }
}
