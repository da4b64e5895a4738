#if canImport(HTTPCore)
#if canImport(Glibc)
import Glibc
#endif
import CoreLoop
import HTTPCore

/// `GET|HEAD /files/<id>/<name>`: the row is read and the blob opened on a
/// reader (never on the loop), access is checked on the loop as for
/// `FILE GET`, then `FileSender` streams the bytes.
extension FileHTTPResponder {
    func download(_ id: Int64, _ request: HTTPRequest, via exchange: HTTPExchange) {
        auth.authenticate(authorization: request.headers["Authorization"], cookie: request.headers["Cookie"],
                          peerHost: request.peer?.host ?? "-", allowCookie: true) { [weak self, weak exchange] result in
            guard let self, let exchange, !exchange.isFinished else { return }
            switch result {
            case .failure(let error): self.fail(exchange, error)
            case .success(let identity): self.open(id, for: identity, request, via: exchange)
            }
        }
    }

    private func open(_ id: Int64, for identity: FileHTTPIdentity, _ request: HTTPRequest, via exchange: HTTPExchange) {
        guard let services = server.services else { return fail(exchange, FileHTTPError(503, "No file database")) }
        let (storage, store) = (services.storage, files.store)
        services.readers.offload({ () throws -> (FileRecord, Int32)? in
            guard let record = try storage.file(id: id) else { return nil }
            let fd = Glibc.open(store.path(of: record.sha256), O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw FileStoreError(operation: "open", path: store.path(of: record.sha256), errno: errno) }
            return (record, fd)
        }, completion: { [weak self, weak exchange] result in
            let opened = try? result.get()
            guard let self, let exchange, !exchange.isFinished, let (record, fd) = opened ?? nil else {
                if let (_, fd) = (try? result.get()) ?? nil { Glibc.close(fd) }
                guard let self, let exchange else { return }
                if case .failure(let error) = result { self.server.logger.error("opening file \(id) failed: \(error)") }
                return self.fail(exchange, FileHTTPError(404, "No such file"))
            }
            guard self.canRead(record, identity) else {
                Glibc.close(fd)
                return self.fail(exchange, FileHTTPError(403, "Only the channel's members or the two people of a private share may read it"))
            }
            self.send(record, fd: fd, request, via: exchange)
        })
    }

    /// As `FILE GET`: through any of the identity's connections, or by
    /// account for private shares and server operators.
    func canRead(_ record: FileRecord, _ identity: FileHTTPIdentity) -> Bool {
        if identity.clients.contains(where: { files.canRead(record, $0) }) { return true }
        let key = CaseMapping.fold(identity.account)
        if server.config.accounts.operatorAccounts.contains(where: { CaseMapping.fold($0) == key }) { return true }
        return record.kind != .channel && (record.uploaderKey == key || record.targetKey == key)
    }

    private func send(_ record: FileRecord, fd: Int32, _ request: HTTPRequest, via exchange: HTTPExchange) {
        guard let readers = server.services?.readers else {
            Glibc.close(fd)
            return fail(exchange, FileHTTPError(503, "No file database"))
        }
        let etag = "\"\(record.sha256)\""
        var headers = HTTPHeaders()
        headers.set("ETag", etag)
        headers.set("Cache-Control", "private, no-cache")
        headers.set("X-Content-Type-Options", "nosniff")
        // RFC 9110 §13.2.2: If-Match first (strong comparison), then If-None-Match.
        if let match = request.headers["If-Match"], !Self.matchesStrongly(match, etag: etag) {
            Glibc.close(fd)
            return exchange.respond(.text(.preconditionFailed, "The file is not the one If-Match names", headers: headers))
        }
        if let match = request.headers["If-None-Match"], Self.matches(match, etag: etag) {
            Glibc.close(fd)
            return exchange.respond(HTTPResponse(status: .notModified, headers: headers))
        }
        let served = MediaTypes.served(name: record.filename, allowed: server.config.files.allowedTypes)
        headers.set("Content-Type", served.contentType)
        headers.set("Content-Disposition", Self.disposition(record.filename, inline: served.inline))
        // A shared text file shown in the browser must not run anything in our origin.
        headers.set("Content-Security-Policy", "sandbox; default-src 'none'")
        headers.set("Accept-Ranges", "bytes")
        // Two Range fields are not one request for ranges: served whole (a server may ignore Range, RFC 9110 §14.2).
        let ranges = request.headers.values("Range")
        var range = ranges.count == 1 ? ByteRange(header: ranges[0], size: record.size) : .whole
        if let ifRange = request.headers["If-Range"], HeaderText.trim(ifRange) != etag { range = .whole }
        switch range {
        case .unsatisfiable:
            Glibc.close(fd)
            headers.set("Content-Range", "bytes */\(record.size)")
            exchange.respond(.text(.rangeNotSatisfiable, "The file has \(record.size) bytes", headers: headers))
        case .whole:
            exchange.startStream(status: .ok, headers: headers, contentLength: record.size)
            FileSender(fd: fd, offset: 0, length: record.size, exchange: exchange, loop: loop, readers: readers, logger: server.logger).start()
        case .part(let first, let last):
            headers.set("Content-Range", "bytes \(first)-\(last)/\(record.size)")
            exchange.startStream(status: .partialContent, headers: headers, contentLength: last - first + 1)
            FileSender(fd: fd, offset: first, length: last - first + 1, exchange: exchange, loop: loop, readers: readers, logger: server.logger).start()
        }
    }

    /// `If-None-Match: "a", W/"b"` or `*` against our (strong) ETag; weak comparison, as RFC 9110 asks.
    static func matches(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let tag = HeaderText.trim(item)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }

    /// `If-Match: "a", "b"` or `*`: strong comparison (RFC 9110 §13.1.1), so a weak tag never matches.
    static func matchesStrongly(_ header: String, etag: String) -> Bool {
        header.split(separator: ",").contains { item in
            let tag = HeaderText.trim(item)
            return tag == "*" || tag == etag
        }
    }

    static func disposition(_ name: String, inline: Bool) -> String {
        let ascii = String(name.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" ? Character($0) : "_" })
        let encoded = FileHTTPPath.location(id: 0, name: name).dropFirst("/files/0/".count)
        return "\(inline ? "inline" : "attachment"); filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
#endif
