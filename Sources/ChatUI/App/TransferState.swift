import ChatClient
import Foundation

/// The file transfers of the interactive client: at most one upload and one
/// download at a time (the FILE extension's READY names no file, so uploads
/// are matched to answers by order; one at a time keeps that unambiguous),
/// and an open FILE LIST.
///
/// Thread-safety: loop thread only.
struct TransferState {
    var upload: FileUpload?
    var uploadTarget = ""
    var download: FileDownload?
    var downloadPath: String?
    /// The window that asked for `FILE LIST`, and the entries so far.
    var listing: (window: ChatWindow, entries: [FileEntry])?

    var statusText: String? {
        if let u = upload, case .sending = u.state { return "send \(u.name) " + Self.bar(u.sentBytes, u.bytes.count) }
        if let u = upload, case .waitingStored = u.state { return "send \(u.name) storing" }
        if let d = download, case .receiving = d.state { return "get \(d.name) " + Self.bar(d.receivedCount, d.expectedSize) }
        return nil
    }

    /// `[#####     ] 52%`
    static func bar(_ done: Int, _ total: Int) -> String {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let filled = Int(fraction * 10)
        return "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: 10 - filled) + "] \(Int(fraction * 100))%"
    }

    mutating func connectionLost(_ app: ChatApp) {
        upload?.connectionLost()
        download?.connectionLost()
        listing = nil
    }
}
