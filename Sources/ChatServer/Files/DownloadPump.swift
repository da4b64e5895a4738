import CoreLoop

/// Sends downloads as `FILE DATA` lines only while the client's send queue
/// is short: each round tops every active download up to `window` queued
/// bytes, within a budget for the whole round, then waits for the next
/// round. A file is never queued whole, a slow reader only slows itself,
/// and a round's work is bounded so chat on the loop is not held up.
///
/// Thread-safety: loop thread only.
final class DownloadPump {
    /// One file on its way to one client.
    final class Transfer {
        let record: FileRecord
        let bytes: [UInt8]
        var offset = 0
        init(record: FileRecord, bytes: [UInt8]) {
            self.record = record
            self.bytes = bytes
        }
    }

    /// A client's downloads: the first transfer is being sent, the rest wait;
    /// `reserved` counts GETs still being read from disk.
    final class Queue {
        var transfers: [Transfer] = []
        var reserved = 0
        var count: Int { transfers.count + reserved }
    }

    unowned let server: IRCServer
    var scheduler: ((Nanoseconds, @escaping () -> Void) -> Void)?
    private var queues: [UInt64: Queue] = [:]
    private var order: [UInt64] = []
    private var scheduled = false

    /// Downloads one connection may have asked for and not finished (each
    /// holds its file in memory).
    static let maxPerClient = 4
    /// Bytes a download may have in its client's send queue.
    static let window = 65_536
    /// Bytes all downloads together may queue in one round: bounds the time
    /// a round holds the loop (128 KiB let a debug build's chat p99 reach
    /// ~300 ms with 20 downloads; see docs/BENCHMARKS.md).
    static let roundBudget = 32_768
    /// File bytes per DATA line (400 base64 characters: lines stay well under 512).
    static let bytesPerLine = 300
    /// Time between rounds while some download waits for its socket to drain.
    static let roundInterval = Nanoseconds.milliseconds(2)

    init(server: IRCServer) {
        self.server = server
    }

    /// Downloads in progress or waiting, over all clients.
    var activeCount: Int { queues.values.reduce(0) { $0 + $1.count } }

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

    /// A reserved GET that will not be sent (refused, failed, client gone).
    func release(clientID: UInt64?, fileID: Int64) {
        guard let clientID, let queue = queues[clientID] else { return }
        queue.reserved = max(0, queue.reserved - 1)
        if queue.count == 0 { forget(clientID) }
    }

    func start(record: FileRecord, bytes: [UInt8], for client: Client) {
        guard let queue = queues[client.id] else { return }
        queue.reserved = max(0, queue.reserved - 1)
        queue.transfers.append(Transfer(record: record, bytes: bytes))
        if queue.transfers.count == 1 { sendBegin(queue.transfers[0], to: client) }
        pump()
    }

    func cancel(clientID: UInt64) { forget(clientID) }

    private func forget(_ clientID: UInt64) {
        queues[clientID] = nil
        order.removeAll { $0 == clientID }
    }

    /// One round (in tests, without a scheduler: rounds until nothing moves).
    func pump() {
        scheduled = false
        var moved = true
        while moved {
            moved = round()
            if scheduler != nil { break }
        }
        if !order.isEmpty && queues.values.contains(where: { !$0.transfers.isEmpty }), let scheduler, !scheduled {
            scheduled = true
            scheduler(Self.roundInterval) { [weak self] in self?.pump() }
        }
    }

    /// Returns whether any line was sent.
    private func round() -> Bool {
        var budget = Self.roundBudget
        var moved = false
        for clientID in order {
            guard let queue = queues[clientID], let transfer = queue.transfers.first else { continue }
            guard let client = server.clients[clientID], client.state != .quitting else {
                forget(clientID)
                continue
            }
            let transport = client.transport
            while transfer.offset < transfer.bytes.count && budget > 0 && transport.queuedBytes < Self.window {
                let end = min(transfer.offset + Self.bytesPerLine, transfer.bytes.count)
                let line = dataLine(transfer.record.id, transfer.bytes[transfer.offset..<end])
                guard line.withUnsafeBytes({ transport.send(copying: $0) }) else { break }
                transfer.offset = end
                budget -= line.count
                moved = true
            }
            if transfer.offset == transfer.bytes.count {
                server.send(client, IRCMessage(source: server.serverName, command: "FILE", params: ["DONE", String(transfer.record.id)]))
                queue.transfers.removeFirst()
                if let next = queue.transfers.first { sendBegin(next, to: client) }
                if queue.count == 0 { forget(clientID) }
                moved = true
            }
            if budget <= 0 { break }
        }
        // Whoever came last goes first next round.
        if order.count > 1 { order.append(order.removeFirst()) }
        return moved
    }

    private func sendBegin(_ transfer: Transfer, to client: Client) {
        let r = transfer.record
        server.send(client, IRCMessage(source: server.serverName, command: "FILE",
                                       params: ["BEGIN", String(r.id), r.filename, String(r.size), r.sha256]))
    }

    /// `:server FILE DATA <id> :<base64>\r\n`, built directly (no IRCMessage per line).
    private func dataLine(_ id: Int64, _ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(64 + bytes.count * 4 / 3)
        line.append(UInt8(ascii: ":"))
        line += server.serverName.utf8
        line += " FILE DATA ".utf8
        line += String(id).utf8
        line += " :".utf8
        Base64.encode(bytes, into: &line)
        line += [13, 10]
        server.stats.linesOut += 1
        return line
    }
}
