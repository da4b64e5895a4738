import Foundation

/// One upload in progress: what was announced, and the bytes received so
/// far, in memory (at most the announced size, which is at most
/// `files.maxBytes`). Nothing touches the disk before `FILE END`, so a
/// dropped connection or a crash mid-upload leaves nothing behind.
///
/// Thread-safety: loop thread only.
final class UploadAssembly {
    let id: String
    let target: FileTarget
    let filename: String
    let size: Int
    let sha256: String
    let maxChunkBytes: Int
    private(set) var bytes: [UInt8] = []
    var lastChunkNanos: UInt64
    /// Set once END handed the bytes to the writer.
    var storing = false

    init(id: String, target: FileTarget, filename: String, size: Int, sha256: String, maxChunkBytes: Int, now: UInt64) {
        self.id = id
        self.target = target
        self.filename = filename
        self.size = size
        self.sha256 = sha256
        self.maxChunkBytes = maxChunkBytes
        self.lastChunkNanos = now
        bytes.reserveCapacity(size)
    }

    /// Decodes one chunk and appends it. `BAD_CHUNK` for anything that is not
    /// base64 of 1…`maxChunkBytes` bytes, `SIZE_MISMATCH` past the announced size.
    func append(base64: String) throws {
        let decoded = try Self.decode(base64, maxBytes: maxChunkBytes, uploadID: id)
        guard bytes.count + decoded.count <= size else {
            throw FileFailure(.sizeMismatch, id, "More bytes than the \(size) announced")
        }
        bytes += decoded
    }

    /// Strict base64 (padding required, no whitespace) of at most `maxBytes` bytes.
    static func decode(_ text: String, maxBytes: Int, uploadID: String) throws -> [UInt8] {
        // Checked before decoding, so a long line costs no allocation.
        guard !text.isEmpty, text.utf8.count % 4 == 0, text.utf8.count / 4 * 3 <= maxBytes + 2,
              let data = Base64.decodeStrict(text.utf8) else {
            throw FileFailure(.badChunk, uploadID, "A chunk is base64 of 1 to \(maxBytes) bytes")
        }
        guard !data.isEmpty, data.count <= maxBytes else {
            throw FileFailure(.badChunk, uploadID, "A chunk is base64 of 1 to \(maxBytes) bytes")
        }
        return data
    }

    /// The most decoded bytes one `FILE CHUNK <id> :<base64>` line can carry
    /// within `maxLineLength` (CR LF included).
    static func maxChunkBytes(maxLineLength: Int, uploadID: String) -> Int {
        let room = maxLineLength - 2 - "FILE CHUNK ".utf8.count - uploadID.utf8.count - 2
        return max(room / 4 * 3, 3)
    }
}
