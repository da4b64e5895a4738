#if canImport(Glibc)
import Glibc
#endif

/// One HTTP upload on its way to disk: the body is appended to a temp file
/// piece by piece while its SHA-256 (and, for text, its UTF-8 validity) is
/// computed, so the file is never held in memory. `finish` fsyncs and
/// checks; the caller then adopts the temp file into the store and records
/// the row, and only after that answers 201.
///
/// Thread-safety: every method blocks; they run as jobs of one serial
/// worker (the storage writer), one after another. The loop only holds it.
final class UploadSpool {
    let path: String
    private var fd: Int32
    private var hasher = SHA256()
    private var text: UTF8Stream?
    private(set) var size = 0
    let maxBytes: Int

    /// - Parameter checkText: the upload must be UTF-8 without NUL.
    init(store: FileStore, maxBytes: Int, checkText: Bool) throws {
        (path, fd) = try store.createTemp()
        self.maxBytes = maxBytes
        text = checkText ? UTF8Stream() : nil
    }

    /// Appends one piece of the body (a failure removes the temp file).
    func append(_ bytes: [UInt8]) throws {
        guard fd >= 0 else { throw FileStoreError(operation: "write", path: path, errno: EBADF) }
        guard size + bytes.count <= maxBytes else {
            discard()
            throw FileFailure(.tooLarge, nil, "Files may be at most \(maxBytes) bytes")
        }
        hasher.update(bytes)
        text?.update(bytes)
        do {
            try FileStoreError.writeAll(bytes, to: fd, path: path)
        } catch {
            discard()
            throw error
        }
        size += bytes.count
    }

    /// Syncs and closes the temp file; returns its SHA-256 (hex) when the
    /// content passed the checks, else removes it and throws.
    func finish(expectedSize: Int?) throws -> String {
        defer { if fd >= 0 { discard() } }
        if let expectedSize, expectedSize != size {
            throw FileFailure(.sizeMismatch, nil, "Received \(size) bytes, announced \(expectedSize)")
        }
        guard size > 0 else { throw FileFailure(.invalidParams, nil, "The file is empty") }
        if var check = text, !check.finish() {
            throw FileFailure(.notText, nil, "Only UTF-8 text without NUL bytes can be shared (or a type files.allowedTypes lists)")
        }
        guard fsync(fd) == 0 else { throw FileStoreError(operation: "fsync", path: path, errno: errno) }
        let code = close(fd)
        fd = -1
        guard code == 0 else {
            let error = FileStoreError(operation: "close", path: path, errno: errno)
            unlink(path)
            throw error
        }
        return hasher.finishHex()
    }

    /// Removes the temp file (an abandoned, refused or failed upload).
    func discard() {
        if fd >= 0 { close(fd); fd = -1 }
        unlink(path)
    }

    deinit {
        if fd >= 0 { close(fd); unlink(path) }
    }
}
