import ChatServer
import Foundation

/// Sends one file with the FILE extension: `FILE UPLOAD`, then on `FILE READY`
/// `FILE CHUNK` lines only while the connection is writable (backpressure:
/// the file is never queued whole; `resume()` continues when the queue
/// drains), then `FILE END`, and finishes on `FILE STORED` or `FAIL FILE`.
///
/// The connection is reached through two closures, so tests drive it with
/// the server lines of issue #11 and look at what it sends.
///
/// Thread-safety: loop thread only.
public final class FileUpload {
    public enum State: Equatable { case waitingReady, sending, waitingStored, stored(fileID: String), failed(ClientFailure) }

    public let target: String
    public let name: String
    public let bytes: [UInt8]
    public let sha256: String
    public private(set) var state = State.waitingReady
    public var isFinished: Bool { if case .stored = state { return true }; if case .failed = state { return true }; return false }
    public private(set) var sentBytes = 0
    public var onProgress: (Int, Int) -> Void = { _, _ in }
    public var onFinish: (State) -> Void = { _ in }
    private var uploadID = ""
    private var chunkBytes = 0
    private let send: (IRCMessage) -> Bool
    private let isWritable: () -> Bool

    /// A FILE CHUNK line's base64 must fit the 512-byte IRC line with the
    /// command and id; 300 raw bytes (400 base64) leaves room for ids up to ~80.
    public static let maxRawChunk = 300

    public init(target: String, name: String, bytes: [UInt8], send: @escaping (IRCMessage) -> Bool, isWritable: @escaping () -> Bool) {
        self.target = target
        self.name = name
        self.bytes = bytes
        self.sha256 = SHA256.hex(of: bytes)
        self.send = send
        self.isWritable = isWritable
    }

    public func start() {
        _ = send(IRCMessage(command: "FILE", params: ["UPLOAD", target, name, String(bytes.count), sha256]))
    }

    /// Feeds a FILE line; true if it was this upload's.
    @discardableResult
    public func receive(_ line: FileLine) -> Bool {
        switch (line, state) {
        case (.ready(let id, let max), .waitingReady):
            uploadID = id
            chunkBytes = min(max, Self.maxRawChunk)
            state = .sending
            resume()
        case (.stored(let id, _, _, let hash), .waitingStored):
            finish(hash == sha256 ? .stored(fileID: id) : .failed(.corrupt("server stored hash \(hash)")))
        case (.fail(let code, _, let text), .waitingReady), (.fail(let code, _, let text), .sending),
             (.fail(let code, _, let text), .waitingStored):
            finish(.failed(code == "NO_SUCH_TARGET" ? .notFound(text) : .refused("\(code): \(text)")))
        default:
            return false
        }
        return true
    }

    /// Sends chunks until the queue is full or the file is done.
    public func resume() {
        guard state == .sending else { return }
        while sentBytes < bytes.count && isWritable() {
            let end = min(bytes.count, sentBytes + chunkBytes)
            let chunk = Data(bytes[sentBytes..<end]).base64EncodedString()
            guard send(IRCMessage(command: "FILE", params: ["CHUNK", uploadID, chunk])) else {
                return finish(.failed(.disconnected("connection lost during upload")))
            }
            sentBytes = end
            onProgress(sentBytes, bytes.count)
        }
        if sentBytes == bytes.count {
            state = .waitingStored
            _ = send(IRCMessage(command: "FILE", params: ["END", uploadID]))
        }
    }

    /// The connection closed: the server drops the upload (issue #11), so do we.
    public func connectionLost() {
        if case .stored = state { return }
        if case .failed = state { return }
        finish(.failed(.disconnected("connection lost during upload")))
    }

    private func finish(_ s: State) {
        state = s
        onFinish(s)
    }
}
