import ChatClient
import ChatServer
import Foundation

/// /send, /get, /files: the client side of the FILE extension (issue #11).
extension ChatApp {
    func sendFile(path: String, target: String) {
        guard transfers.upload == nil || transfers.upload!.isFinished else { return error("An upload is already running") }
        guard connection.isRegistered else { return error("Not connected") }
        let limit = connection.isupport.fileLimit ?? 1 << 20
        guard let data = FileManager.default.contents(atPath: (path as NSString).expandingTildeInPath) else {
            return error("Cannot read \(path)")
        }
        guard data.count <= limit else { return error("\(path) is \(data.count) bytes; the server takes at most \(limit)") }
        let name = (path as NSString).lastPathComponent
        let upload = FileUpload(target: target, name: name, bytes: Array(data),
                                send: { [unowned self] in self.connection.send($0) },
                                isWritable: { [unowned self] in self.connection.isWritable })
        let window = windows.current
        upload.onProgress = { [unowned self] _, _ in self.requestRedraw() }
        upload.onFinish = { [unowned self] state in
            switch state {
            case .stored(let id): self.info("Sent \(name) to \(target) (file \(id))", in: window)
            case .failed(let f): self.error("Sending \(name) failed: \(f)", in: window)
            default: break
            }
        }
        transfers.upload = upload
        info("Sending \(name) (\(data.count) bytes) to \(target)…")
        upload.start()
    }

    func getFile(id: String, path: String?) {
        guard transfers.download == nil || transfers.download!.isFinished else { return error("A download is already running") }
        guard connection.isRegistered else { return error("Not connected") }
        let download = FileDownload(fileID: id, maxBytes: max(connection.isupport.fileLimit ?? 0, 64 << 20))
        let window = windows.current
        download.onProgress = { [unowned self] _, _ in self.requestRedraw() }
        download.onFinish = { [unowned self] state in
            switch state {
            case .done(let name, let bytes):
                let target = path ?? FileSaving.freeName(for: name, in: FileManager.default.currentDirectoryPath)
                do {
                    try FileSaving.write(bytes, to: target)
                    self.info("Saved \(name) (\(bytes.count) bytes, SHA-256 checked) as \(target)", in: window)
                } catch {
                    self.error("Cannot save \(target): \(error)", in: window)
                }
            case .failed(let f):
                self.error("Getting file \(id) failed: \(f)", in: window)
            default:
                break
            }
        }
        transfers.download = download
        connection.send(download.request)
    }

    func listFiles(target: String) {
        transfers.listing = (windows.current, [])
        connection.send(IRCMessage(command: "FILE", params: ["LIST", target]))
    }

    func fileLine(_ line: FileLine) {
        if transfers.upload?.receive(line) == true { return }
        if transfers.download?.receive(line) == true { return }
        switch line {
        case .entry(let e):
            if transfers.listing != nil && transfers.listing!.entries.count < 1000 { transfers.listing!.entries.append(e) }
        case .endList:
            guard case let (window, entries)? = transfers.listing else { return }
            transfers.listing = nil
            if entries.isEmpty { info("No files shared here", in: window) }
            for e in entries {
                info("\(e.id)  \(e.name)  \(FileSaving.sizeText(e.size))  from \(e.uploader)  \(e.time)  — /get \(e.id)", in: window)
            }
        case .fail(let code, _, let text):
            transfers.listing = nil
            error("FILE \(code): \(text)")
        default:
            break
        }
    }
}
