import CoreLoop

/// Collects the bytes sent to one client during one labeled command, and
/// forwards everything else (close, pausing) to the real transport. A close
/// during the command (QUIT, KILL) first sends what was collected.
///
/// Thread-safety: loop thread only.
final class LabelCapture: ClientTransport {
    private let inner: ClientTransport
    private let label: String
    private let serverName: String
    private let batchID: () -> String
    private var collected: [UInt8] = []
    private var finished = false

    init(_ inner: ClientTransport, label: String, serverName: String, batchID: @escaping () -> String) {
        self.inner = inner
        self.label = label
        self.serverName = serverName
        self.batchID = batchID
    }

    func send(_ chunk: ByteChunk) -> Bool { send(copying: chunk.pointer) }

    func send(copying bytes: UnsafeRawBufferPointer) -> Bool {
        if finished { return inner.send(copying: bytes) }
        collected.append(contentsOf: bytes)
        return true
    }

    func close(reason: String, afterFlush: Bool) {
        finish()
        inner.close(reason: reason, afterFlush: afterFlush)
    }

    var queuedBytes: Int { inner.queuedBytes }
    var sendQueueLimit: Int { inner.sendQueueLimit }
    var pendingInputBytes: Int { inner.pendingInputBytes }
    var bytesIn: UInt64 { inner.bytesIn }
    var bytesOut: UInt64 { inner.bytesOut }
    func pauseReading() { inner.pauseReading() }
    func resumeReading() { inner.resumeReading() }
    func notifyWhenWritable(queuedAtMost: Int, _ callback: @escaping () -> Void) -> Bool {
        inner.notifyWhenWritable(queuedAtMost: queuedAtMost, callback)
    }

    /// Sends the collected response, labelled; later sends pass straight through.
    func finish() {
        guard !finished else { return }
        finished = true
        var labelTag: [UInt8] = []
        IRCTag.encodeList([IRCTag("label", label)], into: &labelTag)
        let lines = Self.split(collected)
        var out: [UInt8] = []
        if lines.isEmpty {
            out = [UInt8(ascii: "@")] + labelTag + Array(" :\(serverName) ACK\r\n".utf8)
        } else if lines.count == 1 || Self.isOneBatch(lines) {
            // One line, or one batch (a CHATHISTORY answer): the label goes
            // on it, on the batch's opening line.
            Self.append(lines[0], tag: labelTag, into: &out)
            for line in lines.dropFirst() { out += line; out += [0x0D, 0x0A] }
        } else {
            let id = batchID()
            out = [UInt8(ascii: "@")] + labelTag + Array(" :\(serverName) BATCH +\(id) labeled-response\r\n".utf8)
            let batchTag = Array("batch=\(id)".utf8)
            for line in lines {
                // A line inside a batch of its own stays there; that batch's
                // opening and closing lines nest in this one.
                if Self.batch(of: line) != nil {
                    out += line
                    out += [0x0D, 0x0A]
                } else {
                    Self.append(line, tag: batchTag, into: &out)
                }
            }
            out += Array(":\(serverName) BATCH -\(id)\r\n".utf8)
        }
        collected = []
        out.withUnsafeBytes { _ = inner.send(copying: $0) }
    }

    /// The `batch` tag of `line`, if it has one.
    private static func batch(of line: ArraySlice<UInt8>) -> String? {
        guard line.first == UInt8(ascii: "@") else { return nil }
        return line.withUnsafeBytes { try? IRCMessage(parsing: $0) }?.tag("batch")
    }

    /// Whether `lines` are one batch: `BATCH +r` first, `BATCH -r` last, and
    /// every line between inside a batch.
    private static func isOneBatch(_ lines: [ArraySlice<UInt8>]) -> Bool {
        guard lines.count >= 2,
              let open = lines[0].withUnsafeBytes({ try? IRCMessage(parsing: $0) }),
              let close = lines[lines.count - 1].withUnsafeBytes({ try? IRCMessage(parsing: $0) }),
              open.command == "BATCH", close.command == "BATCH", open.tag("batch") == nil,
              let ref = open.params.first, ref.hasPrefix("+"),
              close.params.first == "-" + ref.dropFirst() else { return false }
        return lines.dropFirst().dropLast().allSatisfy { batch(of: $0) != nil }
    }

    /// The lines in `bytes` (each without its CR LF).
    private static func split(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        var start = 0
        var i = 0
        while i + 1 < bytes.count {
            if bytes[i] == 0x0D && bytes[i + 1] == 0x0A {
                lines.append(bytes[start..<i])
                i += 2
                start = i
            } else {
                i += 1
            }
        }
        if start < bytes.count { lines.append(bytes[start...]) }
        return lines
    }

    /// `line` with `tag` first among its tags, and CR LF.
    private static func append(_ line: ArraySlice<UInt8>, tag: [UInt8], into out: inout [UInt8]) {
        out.append(UInt8(ascii: "@"))
        out += tag
        if line.first == UInt8(ascii: "@") {
            out.append(UInt8(ascii: ";"))
            out += line.dropFirst()
        } else {
            out.append(0x20)
            out += line
        }
        out += [0x0D, 0x0A]
    }
}
