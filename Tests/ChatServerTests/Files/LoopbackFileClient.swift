@testable import ChatServer
import Foundation

/// FILE over a real socket, for loopback and process tests: every wait has
/// a deadline (LoopbackIRCClient's).
extension LoopbackIRCClient {
    /// Logs in to a new account `nick` (REGISTER) after registering the nick.
    func registerAccount(_ nick: String) throws {
        try register(nick)
        try line("REGISTER * * :password-\(nick)")
        try waitFor("REGISTER SUCCESS") { $0.contains("REGISTER SUCCESS") }
    }

    /// UPLOAD … END; returns the file id from `FILE STORED`.
    func uploadFile(to target: String, name: String, _ content: [UInt8], stopAfterChunks: Int? = nil) throws -> String {
        try line("FILE UPLOAD \(target) \(name) \(content.count) \(SHA256.hex(of: content))")
        let ready = try waitFor("FILE READY") { $0.contains(" FILE READY ") || $0.contains(" FAIL FILE ") }
        guard ready.contains(" FILE READY ") else { throw LoopbackTimeout(waitingFor: "READY, got \(ready)") }
        let parts = ready.split(separator: " ")
        let id = String(parts[3]), chunk = Int(parts[4])!
        var offset = 0, sent = 0
        var batch = ""
        while offset < content.count {
            if let stop = stopAfterChunks, sent == stop { try send(batch); return id }
            let end = min(offset + chunk, content.count)
            batch += "FILE CHUNK \(id) :\(Base64.encode(Array(content[offset..<end])))\r\n"
            if batch.utf8.count > 32_768 { try send(batch); batch = "" }
            offset = end
            sent += 1
        }
        try send(batch + "FILE END \(id)\r\n")
        let stored = try waitFor("FILE STORED", timeout: 60) { $0.contains(" FILE STORED ") || $0.contains(" FAIL FILE ") }
        guard stored.contains(" FILE STORED ") else { throw LoopbackTimeout(waitingFor: "STORED, got \(stored)") }
        return String(stored.split(separator: " ")[3])
    }

    /// FILE GET; returns the bytes between BEGIN and DONE.
    func downloadFile(_ id: String, timeout: Double = 60) throws -> [UInt8] {
        try line("FILE GET \(id)")
        let begin = try waitFor("FILE BEGIN") { $0.contains(" FILE BEGIN \(id) ") || $0.contains(" FAIL FILE ") }
        guard begin.contains(" FILE BEGIN ") else { throw LoopbackTimeout(waitingFor: "BEGIN, got \(begin)") }
        var bytes: [UInt8] = []
        let marker = " FILE DATA \(id) :"
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            guard let line = try readLine(timeout: max(0.01, deadline.timeIntervalSinceNow)) else {
                throw LoopbackTimeout(waitingFor: "FILE DONE (connection closed)")
            }
            if let range = line.range(of: marker) {
                guard let data = Data(base64Encoded: String(line[range.upperBound...])) else { throw LoopbackTimeout(waitingFor: "valid base64") }
                bytes += data
            } else if line.hasSuffix(" FILE DONE \(id)") {
                return bytes
            }
        }
    }
}
