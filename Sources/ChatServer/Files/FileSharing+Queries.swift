import CoreLoop

/// GET, LIST, DELETE: rows are read on the readers (and deleted on the
/// writer); the access rules are checked on the loop, against who is in
/// which channel now.
extension FileSharing {
    func get(_ client: Client, fileID: Int64, services: ServerServices) throws {
        try downloads.reserve(clientID: client.id, fileID: fileID)
        let (storage, store) = (services.storage, self.store)
        // Not held in order (`LaterAnswers`): a download is a stream that runs
        // beside the conversation, and several may run at once.
        services.readers.offload({ try storage.file(id: fileID) }, completion: { [weak self, clientID = client.id] result in
            guard let self else { return }
            guard let client = self.server.clients[clientID], client.state != .quitting else { return self.downloads.release(clientID: clientID, fileID: fileID) }
            guard case .success(let found) = result, let record = found else {
                self.downloads.release(clientID: client.id, fileID: fileID)
                return self.fail(client, FileFailure(.noSuchFile, String(fileID), "No such file"))
            }
            guard self.canRead(record, client) else {
                self.downloads.release(clientID: client.id, fileID: fileID)
                return self.fail(client, FileFailure(.notAllowed, String(fileID), "Only the channel's members or the two people of a private share may read it"))
            }
            do {
                try self.downloads.hold(record.size, clientID: client.id, fileID: fileID, limit: self.settings.maxDownloadMemoryBytes)
            } catch let failure as FileFailure {
                self.downloads.release(clientID: client.id, fileID: fileID)
                return self.fail(client, failure)
            } catch { return }
            let held = record.size
            services.readers.offload({ try store.read(sha256: record.sha256) }, completion: { [weak self, clientID = client.id] result in
                guard let self else { return }
                guard let client = self.server.clients[clientID], client.state != .quitting else {
                    return self.downloads.release(clientID: clientID, fileID: fileID, held: held)
                }
                guard case .success(let bytes) = result, bytes.count == record.size else {
                    self.downloads.release(clientID: client.id, fileID: fileID, held: held)
                    self.server.logger.error("reading stored file \(record.id) (\(record.sha256)) failed")
                    return self.fail(client, FileFailure(.storageFailed, String(fileID), "The file could not be read"))
                }
                self.downloads.start(record: record, bytes: bytes, for: client)
            })
        })
    }

    func list(_ client: Client, target: String, services: ServerServices) throws {
        let storage = services.storage
        let read: () throws -> [FileRecord]
        if target.hasPrefix("#") {
            guard let channel = server.channel(named: target) else { throw FileFailure(.noSuchTarget, target, "No such channel") }
            guard channel.membership(of: client) != nil || client.isOperator else {
                throw FileFailure(.notOnChannel, channel.name, "You are not on that channel")
            }
            let key = channel.folded
            read = { try storage.files(inChannel: key) }
        } else {
            var theirs = [CaseMapping.fold(target)]
            if let person = server.client(named: target), let account = person.account { theirs.append(CaseMapping.fold(account)) }
            guard server.client(named: target) != nil || server.accounts.isRegistered(target) else {
                throw FileFailure(.noSuchTarget, target, "No such nick or account")
            }
            let mine = personKeys(client)
            read = { try storage.files(between: mine, and: theirs) }
        }
        services.readers.offload(read, completion: LaterAnswers.wrap(client, on: server) { [weak self, clientID = client.id] result in
            guard let self, let client = self.server.clients[clientID] else { return }
            guard case .success(let records) = result else {
                return self.fail(client, FileFailure(.storageFailed, target, "The list could not be read"))
            }
            for r in records {
                self.reply(client, ["ENTRY", String(r.id), r.filename, String(r.size), r.sha256, r.uploaderNick,
                                    ServerTime.format(millis: r.createdAtMillis)])
            }
            self.reply(client, ["END", "LIST"])
        })
    }

    func delete(_ client: Client, fileID: Int64, services: ServerServices) {
        let (storage, store) = (services.storage, self.store)
        services.readers.offload({ try storage.file(id: fileID) }, completion: LaterAnswers.wrap(client, on: server) { [weak self, clientID = client.id] result in
            guard let self, let client = self.server.clients[clientID], client.state != .quitting else { return }
            guard case .success(let found) = result, let record = found else {
                return self.fail(client, FileFailure(.noSuchFile, String(fileID), "No such file"))
            }
            guard self.canDelete(record, client) else {
                return self.fail(client, FileFailure(.notAllowed, String(fileID), "Only the uploader, a channel operator or a server operator may delete it"))
            }
            self.deleteStored(fileID, services: services, store: store, done: LaterAnswers.wrap(client, on: self.server) { [weak self, clientID = client.id] outcome in
                guard let self, let client = self.server.clients[clientID] else { return }
                switch outcome {
                case .success(true): self.reply(client, ["DELETED", String(fileID)])
                case .success(false): self.fail(client, FileFailure(.noSuchFile, String(fileID), "No such file"))
                case .failure: self.fail(client, FileFailure(.storageFailed, String(fileID), "The file could not be deleted"))
                }
            })
        })
    }

    /// Deletes a share's row on the writer, and its bytes if no other share
    /// names them; `done(.success(false))` if there was no such share.
    public func deleteStored(_ fileID: Int64, services: ServerServices, store: FileStore? = nil,
                             done: @escaping (Result<Bool, Error>) -> Void) {
        let (storage, store) = (services.storage, store ?? self.store)
        services.writer.offload({ () throws -> FileRecord? in
            guard let (record, stillUsed) = try storage.deleteFile(id: fileID) else { return nil }
            // Row first: a crash between the two leaves an unnamed blob, which the startup sweep removes.
            if !stillUsed { try? store.remove(sha256: record.sha256) }
            return record
        }, completion: { [weak self] result in
            switch result {
            case .success(let record?):
                self?.recordDeleted(record)
                done(.success(true))
            case .success(nil): done(.success(false))
            case .failure(let error): done(.failure(error))
            }
        })
    }
}
