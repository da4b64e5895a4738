import CoreLoop

/// UPLOAD, CHUNK, END, ABORT: assembling an upload in memory, then checking
/// and storing it on the writer before anyone hears `FILE STORED`.
extension FileSharing {
    func beginUpload(_ client: Client, target name: String, filename: String, size: Int, sha256: String) throws {
        if settings.requireAccount && client.account == nil {
            throw FileFailure(.needAccount, nil, "Log in to an account to share files")
        }
        let target = try resolveTarget(name, for: client)
        if (uploads[client.id]?.count ?? 0) >= settings.maxUploadsPerConnection {
            throw FileFailure(.tooManyUploads, nil, "At most \(settings.maxUploadsPerConnection) uploads at once per connection")
        }
        let key = uploaderKey(client)
        let pending = pendingBytes(forUploaderKey: key)
        let used = usage[key, default: 0] + pending
        if settings.quotaBytes > 0 && used + size > settings.quotaBytes {
            throw FileFailure(.quotaExceeded, nil, "This would take you past your quota of \(settings.quotaBytes) bytes (\(used) used)")
        }
        // Server-wide: the announced size is reserved now, since the bytes
        // may all arrive before END and stay in memory until stored.
        let inMemory = uploadMemoryBytes, cap = settings.maxUploadMemoryBytes
        if cap > 0 && inMemory + size > cap {
            throw FileFailure(.serverBusy, nil, "Uploads in progress hold \(inMemory) of the server's \(cap) bytes; try again shortly")
        }
        // One account (over all its connections) holds at most a quarter of
        // the cap beyond its first upload, so a few cannot keep everyone
        // else's uploads SERVER_BUSY.
        if cap > 0 && pending > 0 && pending + size > cap / 4 {
            throw FileFailure(.serverBusy, nil,
                              "Your uploads in progress hold \(pending) bytes, your share of the server's \(cap); finish one first")
        }
        let id = nextUploadID()
        let maxChunk = UploadAssembly.maxChunkBytes(maxLineLength: server.limits.maxLineLength, uploadID: id)
        let upload = UploadAssembly(id: id, target: target, filename: filename, size: size, sha256: sha256,
                                    maxChunkBytes: maxChunk, now: server.clock.monotonicNanos)
        uploads[client.id, default: []].append(upload)
        reply(client, ["READY", id, String(maxChunk)])
    }

    /// A channel the sender is in (and may speak in), an online nick, or a
    /// registered account name (delivered at its next log-in).
    func resolveTarget(_ name: String, for client: Client) throws -> FileTarget {
        if name.hasPrefix("#") {
            guard let channel = server.channel(named: name) else {
                throw FileFailure(.noSuchTarget, name, "No such channel")
            }
            guard channel.membership(of: client) != nil else {
                throw FileFailure(.notOnChannel, channel.name, "You are not on that channel")
            }
            do {
                try server.checkCanSend(client, to: channel)
            } catch {
                throw FileFailure(.notAllowed, channel.name, "You cannot send to that channel")
            }
            return FileTarget(kind: .channel, name: channel.name, key: channel.folded)
        }
        if let person = server.client(named: name) {
            if let account = person.account {
                return FileTarget(kind: .account, name: person.nick, key: CaseMapping.fold(account))
            }
            return FileTarget(kind: .nick, name: person.nick, key: person.foldedNick)
        }
        if server.accounts.isRegistered(name) {
            return FileTarget(kind: .account, name: name, key: CaseMapping.fold(name))
        }
        throw FileFailure(.noSuchTarget, name, "No such nick, channel or account")
    }

    func receiveChunk(_ client: Client, uploadID: String, base64: String) throws {
        guard let upload = upload(uploadID, of: client) else {
            throw FileFailure(.unknownUpload, uploadID, "No such upload in progress")
        }
        do {
            try upload.append(base64: base64)
            upload.lastChunkNanos = server.clock.monotonicNanos
        } catch {
            // A broken stream cannot be resumed: the upload is dropped.
            removeUpload(upload, of: client.id)
            throw error
        }
    }

    func abortUpload(_ client: Client, uploadID: String) throws {
        guard let upload = upload(uploadID, of: client) else {
            throw FileFailure(.unknownUpload, uploadID, "No such upload in progress")
        }
        removeUpload(upload, of: client.id)
        reply(client, ["ABORTED", uploadID])
    }

    func finishUpload(_ client: Client, uploadID: String, services: ServerServices) throws {
        guard let upload = upload(uploadID, of: client) else {
            throw FileFailure(.unknownUpload, uploadID, "No such upload in progress")
        }
        guard upload.bytes.count == upload.size else {
            removeUpload(upload, of: client.id)
            throw FileFailure(.sizeMismatch, uploadID, "Received \(upload.bytes.count) bytes, announced \(upload.size)")
        }
        upload.storing = true
        let record = FileRecord(id: 0, sha256: upload.sha256, filename: upload.filename, size: upload.size,
                                uploaderMask: client.mask, uploaderKey: uploaderKey(client), kind: upload.target.kind,
                                target: upload.target.name, targetKey: upload.target.key,
                                createdAtMillis: server.clock.wallMillis, delivered: upload.target.kind != .account,
                                uploaderAccount: client.account)
        let (bytes, store, storage, quota) = (upload.bytes, self.store, services.storage, settings.quotaBytes)
        let clientID = client.id
        let logger = server.logger
        services.writer.offload({ () throws -> Int64 in
            // Checked here, off the loop: a megabyte of hashing and decoding.
            guard SHA256.hex(of: bytes) == record.sha256 else {
                throw FileFailure(.hashMismatch, uploadID, "The bytes do not have the announced SHA-256")
            }
            guard TextContent.isText(bytes) else {
                throw FileFailure(.notText, uploadID, "Only UTF-8 text without NUL bytes can be shared")
            }
            do {
                try store.write(bytes, sha256: record.sha256)
            } catch {
                logger.error("storing an upload failed: \(error)")
                throw FileFailure(.storageFailed, uploadID, "The file could not be stored; nothing was kept")
            }
            do {
                return try storage.insertFile(record, quotaBytes: quota)
            } catch {
                // No row names the bytes: they go too (unless another share uses them).
                if (try? storage.fileCount(sha256: record.sha256)) == 0 { try? store.remove(sha256: record.sha256) }
                throw Self.uploadFailure(error, uploadID: uploadID)
            }
        }, completion: LaterAnswers.wrap(client, on: server) { [weak self] result in
            guard let self else { return }
            self.removeUpload(upload, of: clientID)
            let client = self.server.clients[clientID]  // nil once it has left
            switch result {
            case .success(let id):
                var stored = record
                stored.id = id
                self.recordStored(stored)
                if let client {
                    self.reply(client, ["STORED", String(id), stored.filename, String(stored.size), stored.sha256])
                }
                self.announce(stored)
            case .failure(let failure as FileFailure):
                if let client { self.fail(client, failure) }
            case .failure(let error):
                self.server.logger.error("file upload failed: \(error)")
                if let client { self.fail(client, FileFailure(.storageFailed, uploadID, "The file could not be stored")) }
            }
        })
    }

    /// A failed insert as the client hears it (a quota refusal keeps its code).
    static func uploadFailure(_ error: Error, uploadID: String) -> FileFailure {
        if let failure = error as? FileFailure { return FileFailure(failure.code, uploadID, failure.text) }
        return FileFailure(.storageFailed, uploadID, "The file could not be recorded")
    }
}
