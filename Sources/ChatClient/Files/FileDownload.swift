import ChatServer
import Foundation

/// Receives one file with `FILE GET`: `FILE BEGIN` announces name, size and
/// hash; `FILE DATA` lines are decoded and kept (never more than the
/// announced size, which itself must be within `maxBytes`); `FILE DONE`
/// checks size and SHA-256. The bytes are handed over only when both match.
///
/// Thread-safety: loop thread only.
public final class FileDownload {
    public enum State: Equatable { case waitingBegin, receiving, done(name: String, bytes: [UInt8]), failed(ClientFailure) }

    public let fileID: String
    public let maxBytes: Int
    public private(set) var state = State.waitingBegin
    public var isFinished: Bool { if case .done = state { return true }; if case .failed = state { return true }; return false }
    public private(set) var name = ""
    public private(set) var expectedSize = 0
    private var expectedHash = ""
    private var received: [UInt8] = []
    public var receivedCount: Int { received.count }
    private var hasher = SHA256()
    public var onProgress: (Int, Int) -> Void = { _, _ in }
    public var onFinish: (State) -> Void = { _ in }

    public init(fileID: String, maxBytes: Int = 64 << 20) {
        self.fileID = fileID
        self.maxBytes = maxBytes
    }

    public var request: IRCMessage { IRCMessage(command: "FILE", params: ["GET", fileID]) }

    @discardableResult
    public func receive(_ line: FileLine) -> Bool {
        switch (line, state) {
        case (.begin(let id, let name, let size, let hash), .waitingBegin) where id == fileID:
            guard size <= maxBytes else { finish(.failed(.refused("\(size) bytes is over the \(maxBytes)-byte limit"))); return true }
            self.name = name
            expectedSize = size
            expectedHash = hash
            received.reserveCapacity(size)
            state = .receiving
            onProgress(0, size)
        case (.data(let id, let base64), .receiving) where id == fileID:
            guard let data = Data(base64Encoded: base64) else { finish(.failed(.corrupt("bad base64 in FILE DATA"))); return true }
            guard received.count + data.count <= expectedSize else {
                finish(.failed(.corrupt("more than the announced \(expectedSize) bytes")))
                return true
            }
            received += data
            hasher.update(data)
            onProgress(received.count, expectedSize)
        case (.done(let id), .receiving) where id == fileID:
            let hash = hasher.finishHex()
            if received.count != expectedSize {
                finish(.failed(.corrupt("got \(received.count) of \(expectedSize) bytes")))
            } else if hash != expectedHash {
                finish(.failed(.corrupt("SHA-256 \(hash) is not the announced \(expectedHash)")))
            } else {
                finish(.done(name: name, bytes: received))
            }
        case (.fail(let code, let context, let text), .waitingBegin) where context == nil || context == fileID,
             (.fail(let code, let context, let text), .receiving) where context == nil || context == fileID:
            finish(.failed(code == "NO_SUCH_FILE" ? .notFound("file \(fileID): \(text)") : .refused("\(code): \(text)")))
        default:
            return false
        }
        return true
    }

    public func connectionLost() {
        if case .waitingBegin = state { finish(.failed(.disconnected("connection lost during download"))) }
        if case .receiving = state { finish(.failed(.disconnected("connection lost during download"))) }
    }

    private func finish(_ s: State) {
        state = s
        if case .done = s {} else { received = [] }
        onFinish(s)
    }
}
