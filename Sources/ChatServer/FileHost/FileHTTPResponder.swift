#if canImport(HTTPCore)
import CoreLoop
import HTTPCore

/// Files over HTTP, the web side of `FILE` (same store, same rules):
///
///     POST /files?target=<#channel|nick|account>     upload (draft/FILEHOST) → 201 + Location
///     GET|HEAD /files/<id>/<name>                    download, with Range, ETag, sendfile
///
/// Authorization: `FileHTTPAuth`, for an upload on its head (`admit`), before
/// its body is read. Uploads: the body (bounded by
/// `files.maxBytes`: the HTTP layer answers 413 before reading more) is
/// written to a temp file on the storage writer, fsynced, hashed, checked
/// (text unless `files.allowedTypes` allows the name's type), renamed into
/// the store and recorded; only then 201, and the share notice goes to the
/// target as for `FILE UPLOAD`.
///
/// Thread-safety: loop thread only.
public final class FileHTTPResponder: HTTPResponder {
    unowned let server: IRCServer
    let loop: EventLoop
    var auth: FileHTTPAuth { FileHTTPAuth(server: server) }
    var files: FileSharing { server.files }

    public init(server: IRCServer, loop: EventLoop) {
        self.server = server
        self.loop = loop
    }

    public func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int {
        head.method == "POST" ? server.config.files.maxBytes : 0
    }

    public func allowedMethods(for head: HTTPRequestHead) -> [String]? {
        switch FileHTTPPath(path: head.path) {
        case .collection: return ["POST"]
        case .file: return ["GET", "HEAD"]
        case nil: return nil  // 404 from `respond`, whatever the method
        }
    }

    public func respond(to request: HTTPRequest, via exchange: HTTPExchange) {
        guard let path = FileHTTPPath(path: request.path) else {
            return fail(exchange, FileHTTPError(404, "No such file"))
        }
        switch (request.method, path) {
        case ("POST", .collection):
            upload(request, via: exchange)
        case ("GET", .file(let id)), ("HEAD", .file(let id)):
            download(id, request, via: exchange)
        default:
            // Only when called without the connection's method check (`allowedMethods`).
            let head = HTTPRequestHead(method: request.method, target: request.path)
            exchange.respond(HTTPErrorResponse.methodNotAllowed(request.method, allowed: allowedMethods(for: head) ?? []).response)
        }
    }

    func fail(_ exchange: HTTPExchange, _ error: FileHTTPError) {
        exchange.respond(Self.response(for: error))
    }

    static func response(for error: FileHTTPError) -> HTTPResponse {
        var headers = HTTPHeaders()
        if error.status == 401 { headers.set("WWW-Authenticate", "Basic realm=\"chatd files\", charset=\"UTF-8\"") }
        headers.set("X-Content-Type-Options", "nosniff")
        let status = HTTPStatus(error.status, FileHTTPError.phrases[error.status] ?? "Error")
        return .text(status, error.text, headers: headers)
    }

    // MARK: Upload

    /// An upload is judged on its head, before its body is read: the name,
    /// the target, then who is asking (a password is hashed on a worker).
    /// Who it is comes back with the request, so the body of someone not
    /// allowed to upload is never held, and nothing is checked twice.
    public func admit(_ head: HTTPRequestHead, peer: SocketAddress?, done: @escaping (HTTPAdmission) -> Void) {
        guard head.method == "POST", case .collection? = FileHTTPPath(path: head.path) else { return done(.admit(context: nil)) }
        do {
            _ = try Self.uploadHeadFields(head)
        } catch {
            return done(.refuse(Self.response(for: Self.httpError(error))))
        }
        // The same server-wide cap as uploads over IRC (FILE UPLOAD).
        let size = head.chunked ? server.config.files.maxBytes : head.contentLength
        let (held, cap) = (files.uploadMemoryBytes, server.config.files.maxUploadMemoryBytes)
        if cap > 0 && held > 0 && held + size > cap {
            return done(.refuse(Self.response(for: FileHTTPError(503, "Uploads in progress hold \(held) of the server's \(cap) bytes; try again shortly"))))
        }
        auth.authenticate(authorization: head.headers["Authorization"], cookie: nil,
                          peerHost: peer?.host ?? "-", allowCookie: false) { result in
            switch result {
            case .failure(let error): done(.refuse(Self.response(for: error)))
            case .success(let identity): done(.admit(context: FileUploadAdmission(identity)))
            }
        }
    }

    private func upload(_ request: HTTPRequest, via exchange: HTTPExchange) {
        if let admitted = request.admission as? FileUploadAdmission {
            return storeChecked(request, as: admitted.identity(now: server), via: exchange)
        }
        // Not admitted on its head (a server without the admission step): check now.
        auth.authenticate(authorization: request.headers["Authorization"], cookie: nil,
                          peerHost: request.peer?.host ?? "-", allowCookie: false) { [weak self, weak exchange] result in
            guard let self, let exchange, !exchange.isFinished else { return }
            switch result {
            case .failure(let error): self.fail(exchange, error)
            case .success(let identity): self.storeChecked(request, as: identity, via: exchange)
            }
        }
    }

    private func storeChecked(_ request: HTTPRequest, as identity: FileHTTPIdentity, via exchange: HTTPExchange) {
        do {
            try store(request, as: identity, via: exchange)
        } catch {
            fail(exchange, Self.httpError(error))
        }
    }

    static func httpError(_ error: Error) -> FileHTTPError {
        switch error {
        case let failure as FileFailure: return FileHTTPError(failure)
        case let refusal as FileHTTPError: return refusal
        default: return FileHTTPError(500, "Internal error")
        }
    }

    /// The file's name and its target, from an upload's head; throws the
    /// 400 (or `FileNameRules`' refusal) a client gets for a missing one.
    static func uploadHeadFields(_ head: HTTPRequestHead) throws -> (filename: String, target: String) {
        guard let disposition = head.headers["Content-Disposition"],
              let filename = HeaderText.dispositionFilename(disposition) else {
            throw FileHTTPError(400, "Name the file: Content-Disposition: attachment; filename=\"notes.txt\"")
        }
        try FileNameRules.check(filename)
        guard let target = FileHTTPPath.queryValue("target", in: head.query), !target.isEmpty else {
            throw FileHTTPError(400, "Say who the file is for: POST /files?target=%23channel (or a nick)")
        }
        return (filename, target)
    }

    private func store(_ request: HTTPRequest, as identity: FileHTTPIdentity, via exchange: HTTPExchange) throws {
        guard let services = server.services else { throw FileHTTPError(503, "File sharing needs the server's database") }
        let (filename, targetName) = try Self.uploadHeadFields(request.head)
        let settings = server.config.files
        let body = request.body
        guard !body.isEmpty else { throw FileHTTPError(400, "The file is empty") }
        guard body.count <= settings.maxBytes else { throw FileHTTPError(413, "Files may be at most \(settings.maxBytes) bytes") }
        let binaryType = try MediaTypes.uploadType(forName: filename, allowed: settings.allowedTypes).get()
        // The share comes from one of the account's chat connections, which must be allowed to send there.
        guard !identity.clients.isEmpty else {
            throw FileHTTPError(403, "Be connected to chat as \(identity.account) to share: the notice comes from your connection")
        }
        var resolved: (Client, FileTarget)?
        var refusal: Error?
        for client in identity.clients {
            do { resolved = (client, try files.resolveTarget(targetName, for: client)); break } catch { refusal = error }
        }
        guard let (client, target) = resolved else { throw refusal ?? FileHTTPError(403, "Not allowed") }
        let key = files.uploaderKey(client)
        let used = files.usage[key, default: 0] + files.pendingBytes(forUploaderKey: key)
        if settings.quotaBytes > 0 && used + body.count > settings.quotaBytes {
            throw FileFailure(.quotaExceeded, nil, "This would take you past your quota of \(settings.quotaBytes) bytes (\(used) used)")
        }
        let draft = FileRecord(id: 0, sha256: "", filename: filename, size: body.count, uploaderMask: client.mask,
                               uploaderKey: key, kind: target.kind, target: target.name, targetKey: target.key,
                               createdAtMillis: server.clock.wallMillis, delivered: target.kind != .account)
        let (store, storage, quota, max) = (files.store, services.storage, settings.quotaBytes, settings.maxBytes)
        let logger = server.logger
        // Counted with the uploads in progress until written: the writer
        // holds the body even if the uploader has hung up.
        files.httpStoring[key, default: 0] += body.count
        services.writer.offload({ () throws -> FileRecord in
            let spool = try UploadSpool(store: store, maxBytes: max, checkText: binaryType == nil)
            try spool.append(body)
            var record = draft
            record.sha256 = try spool.finish(expectedSize: body.count)
            do {
                try store.adopt(temp: spool.path, sha256: record.sha256)
            } catch {
                logger.error("storing an HTTP upload failed: \(error)")
                throw FileFailure(.storageFailed, nil, "The file could not be stored; nothing was kept")
            }
            do {
                record.id = try storage.insertFile(record, quotaBytes: quota)
            } catch {
                if (try? storage.fileCount(sha256: record.sha256)) == 0 { try? store.remove(sha256: record.sha256) }
                throw FileSharing.uploadFailure(error, uploadID: "http")
            }
            return record
        }, completion: { [weak self, weak exchange] result in
            guard let self else { return }
            let left = (self.files.httpStoring[key] ?? 0) - body.count
            self.files.httpStoring[key] = left > 0 ? left : nil
            switch result {
            case .success(let stored):
                // Stored and recorded: the share is announced whether or not the uploader is still there.
                self.files.recordStored(stored)
                self.files.announce(stored)
                guard let exchange else { return }
                var headers = HTTPHeaders()
                headers.set("Location", FileHTTPPath.location(id: stored.id, name: stored.filename))
                headers.set("X-Content-Type-Options", "nosniff")
                exchange.respond(.text(.created, "Stored file \(stored.id), \(stored.size) bytes, sha256 \(stored.sha256)", headers: headers))
            case .failure(let failure as FileFailure):
                if let exchange { self.fail(exchange, FileHTTPError(failure)) }
            case .failure(let error):
                self.server.logger.error("HTTP upload failed: \(error)")
                if let exchange { self.fail(exchange, FileHTTPError(507, "The file could not be stored")) }
            }
        })
    }
}
#endif
