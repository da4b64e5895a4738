import CoreLoop

/// Sends downloads as `FILE DATA` lines only while the client's send queue
/// is short, driven by the queue draining rather than by a timer.
///
/// A round tops each download's client queue up to its window (`window`,
/// 64 KiB, or half the client's send-queue limit if that is less), within
/// a budget for the whole round. A client whose queue is full asks its
/// transport to say when it has drained to a quarter of that
/// (`ClientTransport.notifyWhenWritable`, CoreLoop's `notifyWhenWritable`
/// underneath) and is skipped until then; the wake-up only schedules a
/// round (a zero-delay loop timer, so at most one round per loop turn runs
/// and the connection's flush is not prolonged by encoding). While some
/// download can move, the next round follows on the next turn; when every
/// download waits on its socket, nothing runs at all. Clients served in a
/// round go to the back of the order, so the budget rotates fairly.
///
/// Chat goes first: file data only fills the queue up to the window, so a
/// line to a downloading client waits behind at most that much (plus what
/// the kernel holds), never behind the file. A file is never queued whole;
/// a slow reader only slows itself.
///
/// Lines are base64-encoded straight into one reused buffer per round and
/// handed to the transport as one copy per client (not one array per line).
///
/// Without a scheduler (handler tests) rounds run at once until nothing
/// moves, and again when a transport reports it drained.
///
/// Thread-safety: loop thread only.
final class DownloadPump {
    unowned let server: IRCServer
    /// Runs work later on the loop (the daemon: a loop timer); nil in tests.
    var scheduler: ((Nanoseconds, @escaping () -> Void) -> Void)?
    private var queues: [UInt64: Queue] = [:]
    private var order: [UInt64] = []
    private var roundScheduled = false
    private var pumping = false
    private var again = false
    /// Where a round's lines are built (sized for a round's budget plus a line).
    private let scratch: UnsafeMutableRawBufferPointer

    /// Downloads one connection may have asked for and not finished (each
    /// holds its file in memory).
    static let maxPerClient = 4
    /// The most a download tops its client's send queue up to.
    static let window = 65_536
    /// A waiting download resumes once its client's queue has drained to
    /// this (a quarter of the window): the socket still has bytes to send
    /// while the next slice is encoded, and chat lines queued meanwhile go
    /// out ahead of it.
    static let resumeMark = window / 4

    /// The window for a client whose transport closes past `sendQueueLimit`
    /// queued bytes (0: no limit). At most half the limit: a round may pass
    /// the window by one line, and chat lines queue beside the file, so a
    /// fixed 64 KiB window would have the pump itself drop every downloader
    /// whose `limits.sendQueueBytes` is below about 65 KB ("SendQ
    /// exceeded"). Not below about one DATA line, so a round still sends a
    /// line once the queue is empty; a limit under twice that (about 1 KB)
    /// drops a client at its welcome burst anyway.
    static func clientWindow(sendQueueLimit: Int) -> Int {
        guard sendQueueLimit > 0 else { return window }
        return max(minimumWindow, min(window, sendQueueLimit / 2))
    }

    /// One DATA line (base64 of `bytesPerLine` bytes and the line's start).
    static let minimumWindow = 512
    /// Bytes all downloads together may queue in one round (one loop turn):
    /// bounds how long a round holds the loop.
    static let roundBudget = 32_768
    /// File bytes per DATA line (400 base64 characters: lines stay well under 512).
    static let bytesPerLine = 300
    /// Only for a transport that cannot report draining (none of the
    /// daemon's; a closed one until its quit arrives): how long to wait
    /// before trying it again when a round moved nothing.
    static let fallbackInterval = Nanoseconds.milliseconds(2)

    init(server: IRCServer) {
        self.server = server
        scratch = .allocate(byteCount: Self.roundBudget + 4 * 1024, alignment: 1)
    }

    deinit { scratch.deallocate() }

    /// Downloads in progress or waiting, over all clients.
    var activeCount: Int { queues.values.reduce(0) { $0 + $1.count } }
    /// Clients whose download waits for their send queue to drain.
    var waitingCount: Int { queues.values.filter { $0.waiting }.count }
    /// A round is due (tests check that nothing polls while all wait).
    var hasScheduledRound: Bool { roundScheduled }

    /// Bytes of files held for downloads over all clients, against
    /// `files.maxDownloadMemoryBytes` (`hold`).
    private(set) var heldBytes = 0

    /// Holds room for `size` bytes of `clientID`'s reserved GET, once its
    /// row is read and before the file is; throws `serverBusy` past
    /// `limit` (0: none). One file alone may always use all of it.
    func hold(_ size: Int, clientID: UInt64, fileID: Int64, limit: Int) throws {
        guard let queue = queues[clientID] else { return }
        if limit > 0 && heldBytes > 0 && heldBytes + size > limit {
            throw FileFailure(.serverBusy, String(fileID),
                              "Downloads in progress hold \(heldBytes) of the server's \(limit) bytes; try again shortly")
        }
        heldBytes += size
        queue.heldBytes += size
    }

    private func unhold(_ size: Int, from queue: Queue) {
        heldBytes -= size
        queue.heldBytes -= size
    }

    /// Counts a GET before its file is read; refused past `maxPerClient`.
    func reserve(clientID: UInt64, fileID: Int64) throws {
        let queue = queues[clientID] ?? Queue()
        guard queue.count < Self.maxPerClient else {
            throw FileFailure(.tooManyDownloads, String(fileID), "At most \(Self.maxPerClient) downloads at once")
        }
        queue.reserved += 1
        if queues[clientID] == nil {
            queues[clientID] = queue
            order.append(clientID)
        }
    }

    /// A reserved GET that will not be sent (refused, failed, client gone),
    /// with the bytes `hold` took for it, if any.
    func release(clientID: UInt64?, fileID: Int64, held: Int = 0) {
        guard let clientID, let queue = queues[clientID] else { return }
        queue.reserved = max(0, queue.reserved - 1)
        unhold(held, from: queue)
        if queue.count == 0 { forget(clientID) }
    }

    func start(record: FileRecord, bytes: [UInt8], for client: Client) {
        guard let queue = queues[client.id] else { return }
        queue.reserved = max(0, queue.reserved - 1)
        queue.transfers.append(Transfer(record: record, bytes: bytes, serverName: server.serverName))
        if queue.transfers.count == 1 { sendBegin(queue.transfers[0], to: client) }
        scheduleRound()
    }

    func cancel(clientID: UInt64) { forget(clientID) }

    private func forget(_ clientID: UInt64) {
        guard !queues.isEmpty || !order.isEmpty else { return }  // every QUIT: usually nothing to forget
        if let queue = queues[clientID] { heldBytes -= queue.heldBytes }
        queues[clientID] = nil
        order.removeAll { $0 == clientID }
    }

    /// A client's transport drained: its download may go on.
    private func resume(_ clientID: UInt64) {
        guard let queue = queues[clientID], queue.waiting else { return }
        queue.waiting = false
        scheduleRound()
    }

    private func scheduleRound(after delay: Nanoseconds = Nanoseconds(0)) {
        guard let scheduler else { return pump() }
        guard !roundScheduled else { return }
        roundScheduled = true
        scheduler(delay) { [weak self] in self?.pump() }
    }

    /// Some download can move now (not waiting for its socket).
    private var hasRunnable: Bool { queues.values.contains { !$0.waiting && !$0.transfers.isEmpty } }

    /// One round, and the next one scheduled if some download can still
    /// move (in tests, without a scheduler: rounds until nothing moves).
    func pump() {
        roundScheduled = false
        guard !pumping else { again = true; return }  // a drain reported inside a round
        pumping = true
        defer { pumping = false }
        guard scheduler != nil else {
            repeat { again = false } while round() || again
            return
        }
        let moved = round()
        if hasRunnable { scheduleRound(after: moved ? Nanoseconds(0) : Self.fallbackInterval) }
    }

    /// Returns whether anything was sent.
    private func round() -> Bool {
        var budget = Self.roundBudget
        var moved = false
        let ids = order
        var served = 0
        for clientID in ids {
            guard budget > 0 else { break }
            served += 1
            guard let queue = queues[clientID], !queue.waiting, let transfer = queue.transfers.first else { continue }
            guard let client = server.clients[clientID], client.state != .quitting else {
                forget(clientID)
                continue
            }
            let transport = client.transport
            let window = Self.clientWindow(sendQueueLimit: transport.sendQueueLimit)
            let sent = topUp(transfer, on: transport, window: window, budget: budget)
            if sent > 0 { moved = true }
            budget -= sent
            if transfer.isFinished {
                server.send(client, IRCMessage(source: server.serverName, command: "FILE", params: ["DONE", String(transfer.record.id)]))
                unhold(transfer.bytes.count, from: queue)
                queue.transfers.removeFirst()
                if let next = queue.transfers.first { sendBegin(next, to: client) }
                if queue.count == 0 { forget(clientID) }
                moved = true
            } else if transport.queuedBytes >= window {
                queue.waiting = transport.notifyWhenWritable(queuedAtMost: window / 4) { [weak self] in
                    self?.resume(clientID)
                }
            }
        }
        // Those served go to the back: the next round starts with whoever
        // this one did not reach.
        if served > 0 && served < ids.count {
            let rotated = ids[served...] + ids[..<served]
            order = rotated.filter { queues[$0] != nil }
        }
        return moved
    }

    /// Queues DATA lines of `transfer` until the transport holds `window`
    /// bytes or `budget` is spent (each by at most one line), as one copy
    /// of lines built in `scratch`. Returns the bytes queued.
    private func topUp(_ transfer: Transfer, on transport: ClientTransport, window: Int, budget: Int) -> Int {
        let room = min(window - transport.queuedBytes, budget)
        guard room > 0, !transfer.isFinished else { return 0 }
        let prefix = transfer.linePrefix
        let lineBytes = prefix.count + Base64.encodedCount(Self.bytesPerLine) + 2
        var used = 0
        var lines = 0
        var offset = transfer.offset
        let out = scratch.baseAddress!
        prefix.withUnsafeBytes { prefix in
            transfer.bytes.withUnsafeBytes { file in
                while used < room && offset < file.count && used + lineBytes <= scratch.count {
                    let end = min(offset + Self.bytesPerLine, file.count)
                    (out + used).copyMemory(from: prefix.baseAddress!, byteCount: prefix.count)
                    used += prefix.count
                    used += Base64.encode(UnsafeRawBufferPointer(rebasing: file[offset..<end]), into: out + used)
                    out.storeBytes(of: 13, toByteOffset: used, as: UInt8.self)
                    out.storeBytes(of: 10, toByteOffset: used + 1, as: UInt8.self)
                    used += 2
                    lines += 1
                    offset = end
                }
            }
        }
        guard used > 0, transport.send(copying: UnsafeRawBufferPointer(start: out, count: used)) else { return 0 }
        transfer.offset = offset
        server.stats.linesOut += UInt64(lines)
        return used
    }

    private func sendBegin(_ transfer: Transfer, to client: Client) {
        let r = transfer.record
        server.send(client, IRCMessage(source: server.serverName, command: "FILE",
                                       params: ["BEGIN", String(r.id), r.filename, String(r.size), r.sha256]))
    }
}
