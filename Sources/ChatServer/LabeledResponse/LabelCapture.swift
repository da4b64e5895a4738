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
    /// The `batch=` tag of a response being streamed (`stream`), and its id.
    private var streamingBatch: [UInt8]?
    private var streamID = ""

    init(_ inner: ClientTransport, label: String, serverName: String, batchID: @escaping () -> String) {
        self.inner = inner
        self.label = label
        self.serverName = serverName
        self.batchID = batchID
    }

    func send(_ chunk: ByteChunk) -> Bool { send(copying: chunk.pointer) }

    func send(copying bytes: UnsafeRawBufferPointer) -> Bool {
        if finished { return inner.send(copying: bytes) }
        if let batchTag = streamingBatch {
            // Streaming: each line into the open batch as it comes.
            var out: [UInt8] = []
            for line in Self.split(Array(bytes)) { Self.appendInBatch(line, tag: batchTag, into: &out) }
            return out.withUnsafeBytes { inner.send(copying: $0) }
        }
        collected.append(contentsOf: bytes)
        return true
    }

    /// Turns a response that will be long (a `PacedReply` waiting for the
    /// socket) into a `labeled-response` batch sent as it is made: the
    /// opening line and what was collected go out now, later lines as they
    /// are sent, `BATCH -` at `finish`. Collecting it whole would hold the
    /// entire answer in memory and then queue it at once, past the
    /// send-queue limit that pacing keeps it under.
    func stream() {
        guard !finished, streamingBatch == nil else { return }
        let id = batchID()
        streamID = id
        var labelTag: [UInt8] = []
        IRCTag.encodeList([IRCTag("label", label)], into: &labelTag)
        var out = [UInt8(ascii: "@")] + labelTag + Array(" :\(serverName) BATCH +\(id) labeled-response\r\n".utf8)
        let batchTag = Array("batch=\(id)".utf8)
        for line in Self.split(collected) { Self.appendInBatch(line, tag: batchTag, into: &out) }
        collected = []
        streamingBatch = batchTag
        out.withUnsafeBytes { _ = inner.send(copying: $0) }
    }

    func close(reason: String, afterFlush: Bool) {
        finish()
        inner.close(reason: reason, afterFlush: afterFlush)
    }

    /// What the client has waiting for it, the collected response included:
    /// a producer that watches the queue (`PacedReply`) sees it grow.
    var queuedBytes: Int { inner.queuedBytes + collected.count }
    var sendQueueLimit: Int { inner.sendQueueLimit }
    var isOpen: Bool { inner.isOpen }
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
        if streamingBatch != nil {
            let close = Array(":\(serverName) BATCH -\(streamID)\r\n".utf8)
            close.withUnsafeBytes { _ = inner.send(copying: $0) }
            return
        }
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
            for line in lines { Self.appendInBatch(line, tag: batchTag, into: &out) }
            out += Array(":\(serverName) BATCH -\(id)\r\n".utf8)
        }
        collected = []
        out.withUnsafeBytes { _ = inner.send(copying: $0) }
    }

    /// `line` as part of the response's batch. A line inside a batch of its
    /// own stays there; that batch's opening and closing lines nest in this one.
    private static func appendInBatch(_ line: ArraySlice<UInt8>, tag: [UInt8], into out: inout [UInt8]) {
        if batch(of: line) != nil {
            out += line
            out += [0x0D, 0x0A]
        } else {
            append(line, tag: tag, into: &out)
        }
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
