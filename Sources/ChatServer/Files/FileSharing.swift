import CoreLoop

/// Text-file sharing (the FILE command): uploads in progress, the file
/// store, downloads, per-account usage, and delivery of private shares to
/// people who were offline. IRCServer holds one and reaches it through
/// `handle`, `tick` and `accountLoggedIn`; it hears quits and registrations
/// as a `ServerObserver`.
///
/// Blocking work (hashing, checking, writing, reading files and rows) runs
/// on the storage writer and readers; results come back on the loop.
///
/// Thread-safety: loop thread only.
public final class FileSharing: ServerObserver {
    unowned let server: IRCServer
    /// Bytes of HTTP uploads the storage writer is storing, per uploader
    /// key: held in memory until written, whether or not the uploader's
    /// connection is still open.
    var httpStoring: [String: Int] = [:]
    /// Uploads in progress by client id (at most `maxUploadsPerConnection` each).
    var uploads: [UInt64: [UploadAssembly]] = [:]
    private var nextUploadNumber: UInt64 = 1
    /// Bytes shared per uploader key, as stored (for QUOTA_EXCEEDED before any byte is sent).
    var usage: [String: Int] = [:]
    /// Shares and bytes stored, for `chatctl status`.
    public private(set) var storedCount = 0
    public private(set) var storedBytes = 0
    let downloads: DownloadPump
    /// Tokens handed out by `FILE TOKEN` for files over HTTP (FileHost/).
    public let tokens = FileTokens()
    /// Where uploads over HTTP go (`draft/FILEHOST` in ISUPPORT), set by the
    /// daemon from the web listener's address; nil without one.
    public var hostURL: String? {
        didSet { server.replies.welcome = nil }  // ISUPPORT changed
    }
    /// Set by the daemon (a loop timer): the download pump's next round runs
    /// on a later turn, woken by its clients' queues draining. Tests leave
    /// it nil and rounds run at once.
    public var scheduler: ((Nanoseconds, @escaping () -> Void) -> Void)? {
        didSet { downloads.scheduler = scheduler }
    }

    init(server: IRCServer) {
        self.server = server
        downloads = DownloadPump(server: server)
    }

    var settings: FileSettings { server.config.files }
    var store: FileStore { FileStore(directory: server.config.dataDir + "/files") }

    /// At startup, before the loop runs (blocking): per-account usage and
    /// totals from the database, and removal of what an interrupted write left.
    func load(_ services: ServerServices) throws {
        usage = try services.storage.fileUsage()
        let all = try services.storage.allFiles()
        storedCount = all.count
        storedBytes = all.reduce(0) { $0 + $1.size }
        let removed = store.sweep(keeping: try services.storage.fileHashes())
        if removed > 0 { server.logger.notice("removed \(removed) unfinished or unreferenced file(s) from \(store.directory)") }
    }

    // MARK: Commands

    /// Runs one FILE line; failures are sent as `FAIL FILE …`.
    func handle(_ message: IRCMessage, from client: Client) {
        do {
            let request = try FileRequest(params: message.params, maxBytes: settings.maxBytes)
            // The lines of an upload in progress do not count against flood
            // control (they are bounded by the announced size); the
            // dispatcher took a token for this line, so it is given back.
            if isUploadLine(request, from: client) { client.flood.refund() }
            guard let services = server.services else {
                throw FileFailure(.storageFailed, nil, "File sharing needs the server's database, which is off")
            }
            switch request {
            case .upload(let target, let filename, let size, let sha256):
                try beginUpload(client, target: target, filename: filename, size: size, sha256: sha256)
            case .chunk(let id, let base64):
                try receiveChunk(client, uploadID: id, base64: base64)
            case .end(let id):
                try finishUpload(client, uploadID: id, services: services)
            case .abort(let id):
                try abortUpload(client, uploadID: id)
            case .get(let id):
                try get(client, fileID: id, services: services)
            case .list(let target):
                try list(client, target: target, services: services)
            case .delete(let id):
                delete(client, fileID: id, services: services)
            case .token:
                try issueToken(client)
            }
        } catch let failure as FileFailure {
            fail(client, failure)
        } catch {
            fail(client, FileFailure(.storageFailed, nil, "Internal error: \(error)"))
        }
    }

    private func isUploadLine(_ request: FileRequest, from client: Client) -> Bool {
        switch request {
        case .chunk(let id, _), .end(let id), .abort(let id): return upload(id, of: client) != nil
        default: return false
        }
    }

    // MARK: Replies

    func fail(_ client: Client, _ failure: FileFailure) {
        guard client.state != .quitting else { return }
        server.send(client, IRCMessage(source: server.serverName, command: "FAIL", params: failure.params))
    }

    /// `:server FILE <params…>`
    func reply(_ client: Client, _ params: [String]) {
        guard client.state != .quitting else { return }
        server.send(client, IRCMessage(source: server.serverName, command: "FILE", params: params))
    }

    // MARK: Identity and access

    /// How the rules know `client` as an uploader: the folded account, or
    /// the folded nick when uploads need no account.
    func uploaderKey(_ client: Client) -> String {
        client.account.map(CaseMapping.fold) ?? client.foldedNick
    }

    /// Every key that names `client` as a party to a private share.
    func personKeys(_ client: Client) -> [String] {
        [client.foldedNick] + (client.account.map { [CaseMapping.fold($0)] } ?? [])
    }

    /// Readable by current members of the channel it was shared to, by the
    /// two people of a private share, and by server operators.
    func canRead(_ record: FileRecord, _ client: Client) -> Bool {
        if client.isOperator { return true }
        if record.kind == .channel {
            return server.channel(named: record.target)?.membership(of: client) != nil
        }
        let keys = personKeys(client)
        return keys.contains(record.uploaderKey) || keys.contains(record.targetKey)
    }

    /// Deletable by the uploader, an operator of the channel it was shared
    /// to, or a server operator.
    func canDelete(_ record: FileRecord, _ client: Client) -> Bool {
        if client.isOperator || personKeys(client).contains(record.uploaderKey) { return true }
        guard record.kind == .channel, let channel = server.channel(named: record.target) else { return false }
        return channel.membership(of: client)?.contains(.op) == true
    }

    /// Registered clients that are `target` of a private share.
    func onlineRecipients(kind: FileRecord.Kind, key: String) -> [Client] {
        switch kind {
        case .channel: return []
        case .nick: return server.clients.registered(named: key).map { [$0] } ?? []
        case .account:
            return server.clients.all.filter { $0.isRegistered && $0.account.map(CaseMapping.fold) == key }
        }
    }

    // MARK: Lifecycle

    public func clientQuit(_ client: Client, reason: String) {
        // Uploads still being stored finish (the writer has the bytes); the rest go.
        if !uploads.isEmpty { uploads[client.id] = nil }
        downloads.cancel(clientID: client.id)
        tokens.revoke(clientID: client.id)
    }

    public func clientRegistered(_ client: Client) {
        accountLoggedIn(client)
    }

    /// Called when a registered client logs in (and at registration): sends
    /// the private shares that waited for this account.
    func accountLoggedIn(_ client: Client) {
        guard client.isRegistered, let account = client.account, let services = server.services else { return }
        let key = CaseMapping.fold(account)
        let storage = services.storage
        services.readers.offload({ try storage.undeliveredFiles(for: key) }) { [weak self, clientID = client.id] result in
            guard let self, let client = self.server.clients[clientID], client.state != .quitting else { return }
            guard case .success(let records) = result, !records.isEmpty else { return }
            for record in records { self.sendPrivateNotice(record, to: client) }
            let ids = records.map(\.id)
            services.writer.offload({ try storage.markDelivered(ids) }) { [weak self] result in
                if case .failure(let error) = result { self?.server.logger.error("marking files delivered failed: \(error)") }
            }
        }
    }

    /// Drops uploads that saw no chunk for `uploadIdleSeconds`.
    func tick(now: UInt64) {
        let limit = UInt64(settings.uploadIdleSeconds) * 1_000_000_000
        for (clientID, list) in uploads {
            let idle = list.filter { !$0.storing && now &- $0.lastChunkNanos >= limit }
            guard !idle.isEmpty else { continue }
            let kept = list.filter { u in !idle.contains { $0 === u } }
            uploads[clientID] = kept.isEmpty ? nil : kept
            if let client = server.clients[clientID] {
                for upload in idle {
                    fail(client, FileFailure(.unknownUpload, upload.id, "Upload dropped: no chunk for \(settings.uploadIdleSeconds) seconds"))
                }
            }
        }
    }

    func nextUploadID() -> String {
        defer { nextUploadNumber += 1 }
        return "u\(nextUploadNumber)"
    }

    func upload(_ id: String, of client: Client) -> UploadAssembly? {
        uploads[client.id]?.first { $0.id == id && !$0.storing }
    }

    func removeUpload(_ upload: UploadAssembly, of clientID: UInt64) {
        uploads[clientID]?.removeAll { $0 === upload }
        if uploads[clientID]?.isEmpty == true { uploads[clientID] = nil }
    }

    /// Bytes announced by every upload in progress (and being stored), for
    /// the server-wide cap `files.maxUploadMemoryBytes`: over IRC, and over
    /// HTTP while the storage writer has the body (`httpStoring`).
    var uploadMemoryBytes: Int {
        uploads.values.reduce(0) { total, list in list.reduce(total) { $0 + $1.size } } + httpStoring.values.reduce(0, +)
    }

    /// Bytes announced by uploads in progress for this uploader key.
    func pendingBytes(forUploaderKey key: String) -> Int {
        var total = httpStoring[key] ?? 0
        for (id, list) in uploads {
            guard let client = server.clients[id], uploaderKey(client) == key else { continue }
            total += list.reduce(0) { $0 + $1.size }
        }
        return total
    }

    func recordStored(_ record: FileRecord) {
        storedCount += 1
        storedBytes += record.size
        usage[record.uploaderKey, default: 0] += record.size
    }

    func recordDeleted(_ record: FileRecord) {
        storedCount -= 1
        storedBytes -= record.size
        usage[record.uploaderKey, default: 0] -= record.size
    }
}
