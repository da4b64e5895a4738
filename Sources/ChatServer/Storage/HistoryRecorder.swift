import Logging

/// Collects channel messages on the loop and writes them in batches through
/// the storage writer: after `flushBatchSize` messages or when the daemon's
/// flush timer fires (every `flushIntervalMillis`). Readers see written and
/// unwritten messages alike, so nothing is missing from history while a
/// batch is on its way to disk.
///
/// One batch at a time is with the writer (a single thread: more would only
/// queue there); what comes meanwhile waits here and goes as one batch when
/// the writer answers (group commit, as the score ledger does), at most
/// `batchSize` to a transaction. So a writer that falls behind (it runs at
/// idle priority, and a saturated core leaves it little) holds at most
/// `maxUnwritten` messages waiting plus one batch in memory; beyond that
/// the oldest waiting are dropped, with an error in the log.
///
/// Thread-safety: loop thread only.
final class HistoryRecorder {
    private let services: ServerServices
    private let batchSize: Int
    private let logger: Logger
    private var pending: [StoredMessage] = []
    private var inFlight: [Int: [StoredMessage]] = [:]
    private var nextBatchID = 0
    private(set) var nextSeq: Int64
    private(set) var messagesWritten: UInt64 = 0
    /// Messages the database refused because their sequence number or msgid
    /// was already stored (each is logged); they are not in history.
    private(set) var collisions: UInt64 = 0
    /// Unwritten messages kept at most (the disk failing, or the writer
    /// behind); the oldest go first.
    let maxUnwritten: Int
    private(set) var droppedUnwritten: UInt64 = 0

    init(services: ServerServices, lastSeq: Int64, batchSize: Int, logger: Logger, maxUnwritten: Int = 100_000) {
        self.services = services
        self.nextSeq = lastSeq + 1
        self.batchSize = batchSize
        self.logger = logger
        self.maxUnwritten = max(maxUnwritten, batchSize)
    }

    func record(channel: Channel, source: String, account: String?, command: String, text: String, msgid: String,
                timeMillis: Int64, tags: String? = nil) {
        record(key: channel.folded, target: channel.name, source: source, account: account, command: command,
               text: text, msgid: msgid, timeMillis: timeMillis, tags: tags)
    }

    /// Records a message under any history key: a channel's folded name, or
    /// a private conversation's key (`PrivateHistory.key`); `target` is the
    /// message's target as sent. A CTCP other than ACTION is not kept
    /// (`CTCPText`). `tags`: the client-only tags, encoded (`EventPlayback.storedTags`).
    func record(key: String, target: String, source: String, account: String?, command: String, text: String,
                msgid: String, timeMillis: Int64, tags: String? = nil) {
        guard CTCPText.isKeptInHistory(text) else { return }  // a replayed VERSION would be answered again
        pending.append(StoredMessage(seq: nextSeq, channel: key, target: target, timeMillis: timeMillis,
                                     msgid: msgid, source: source, account: account, command: command, text: text,
                                     tags: tags))
        nextSeq += 1
        if pending.count > maxUnwritten { dropOldest() }
        if pending.count >= batchSize { flush() }
    }

    /// Messages not yet on disk (being written, or waiting) that satisfy
    /// `condition`; walks them without copying the rest.
    func unwritten(where condition: (StoredMessage) -> Bool) -> [StoredMessage] {
        var found: [StoredMessage] = []
        for batch in inFlight.values { found += batch.lazy.filter(condition) }
        found += pending.lazy.filter(condition)
        return found
    }

    var unwritten: [StoredMessage] { unwritten { _ in true } }

    /// Takes a redacted message out of what is unwritten: a waiting one is
    /// never written; one already with the writer stops being shown to
    /// readers (and is not retried), and the delete queued after it on the
    /// same writer thread removes it once written.
    func forget(msgid: String, key: String) {
        let isIt: (StoredMessage) -> Bool = { $0.msgid == msgid && $0.channel == key }
        pending.removeAll(where: isIt)
        for id in Array(inFlight.keys) { inFlight[id]?.removeAll(where: isIt) }
    }
    /// How far the writer is behind, in messages.
    var unwrittenCount: Int { inFlight.values.reduce(pending.count) { $0 + $1.count } }

    /// Starts writing what is pending, at most `batchSize` messages (one
    /// transaction stays small behind a backlog), unless a batch is with
    /// the writer already (then it goes when that one is answered).
    func flush() {
        guard !pending.isEmpty, inFlight.isEmpty else { return }
        let batch = Array(pending.prefix(batchSize))
        pending.removeFirst(batch.count)
        let id = nextBatchID
        nextBatchID += 1
        inFlight[id] = batch
        let storage = services.storage
        services.writer.offload({ try storage.insertMessages(batch) }) { [self] result in
            // What is still to be shown (a redaction may have taken some out).
            let unwrittenBatch = inFlight.removeValue(forKey: id) ?? batch
            switch result {
            case .success(let skipped):
                messagesWritten += UInt64(batch.count - skipped.count)
                if !skipped.isEmpty { noteCollisions(skipped) }
            case .failure(let error):
                logger.error("history write of \(batch.count) messages failed, will retry: \(error)")
                pending = unwrittenBatch + pending
                if pending.count > maxUnwritten { dropOldest() }
                return  // the flush timer retries
            }
            // A full batch that waited behind this one goes at once.
            if pending.count >= batchSize { flush() }
        }
    }

    /// Down to nine tenths of the bound, so a writer that stays behind
    /// costs one log line per tenth, not one per message.
    private func dropOldest() {
        let dropped = pending.count - (maxUnwritten - maxUnwritten / 10)
        pending.removeFirst(dropped)
        droppedUnwritten += UInt64(dropped)
        logger.error("history: \(dropped) oldest unwritten messages dropped, over \(maxUnwritten) wait for the disk (\(droppedUnwritten) so far)")
    }

    private func noteCollisions(_ skipped: [StoredMessage]) {
        collisions += UInt64(skipped.count)
        let shown = skipped.prefix(5).map { "seq \($0.seq) msgid \($0.msgid) in \($0.target)" }.joined(separator: ", ")
        logger.error("history: \(skipped.count) messages not stored, their seq or msgid already exists (\(collisions) so far): \(shown)\(skipped.count > 5 ? ", …" : "")")
    }
}
