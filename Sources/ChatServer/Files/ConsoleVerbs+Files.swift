import Foundation

/// Console verbs for shared files: `files` (all, or one target's) and
/// `file-delete` (the bytes go too when no other share names them).
extension ConsoleVerbs {
    /// `{"cmd":"files"}` or `{"cmd":"files","target":"#room"}`.
    static func files(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let target = try request.optionalString("target").map(CaseMapping.fold)
        let storage = services.storage
        services.readers.offload({ try storage.allFiles(targetKey: target) }) { result in
            switch result {
            case .failure(let error): respond(.error(.failed("could not read the files: \(error)")))
            case .success(let records):
                respond(.ok(["files": records.map { r -> [String: Any] in
                    [
                        "id": r.id, "filename": r.filename, "size": r.size, "sha256": r.sha256,
                        "uploader": r.uploaderNick, "uploaderKey": r.uploaderKey,
                        "kind": r.kind.rawValue, "target": r.target,
                        "createdAt": ServerTime.format(millis: r.createdAtMillis), "delivered": r.delivered,
                    ]
                }]))
            }
        }
    }

    /// `{"cmd":"file-delete","id":17}`.
    static func fileDelete(_ host: ConsoleHost, _ request: ConsoleRequest, _ respond: @escaping Respond) throws {
        let services = try services(host)
        let id = try request.int("id", in: 1...Int(Int32.max) * 1_000_000)
        host.server.files.deleteStored(Int64(id), services: services) { result in
            switch result {
            case .success(true): respond(.ok([:]))
            case .success(false): respond(.error(.failed("no such file: \(id)")))
            case .failure(let error): respond(.error(.failed("could not delete file \(id): \(error)")))
            }
        }
    }
}
