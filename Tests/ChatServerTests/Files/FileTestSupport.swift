@testable import ChatServer
import Foundation

/// Helpers for FILE tests: a server with storage and its own data folder,
/// logged-in users, and whole uploads in one call.
enum FileTestSupport {
    /// A fresh, empty data folder under the temporary directory, removed when
    /// the test process exits (the test's server keeps its database open
    /// until then, so no earlier moment is safe).
    static func dataDir() -> String {
        let path = NSTemporaryDirectory() + "chatd-files-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        TemporaryFolders.removeAtExit(path)
        return path
    }

    static func net(_ configure: (inout ServerConfig) -> Void = { _ in }) -> TestNet {
        let dir = dataDir()
        return TestNet.withStorage {
            $0.dataDir = dir
            $0.accounts.minPasswordLength = 8
            configure(&$0)
        }
    }

    /// A registered user logged in to an account of the same name.
    static func account(_ net: TestNet, _ nick: String, caps: [String] = []) -> TestUser {
        let u = net.user(nick, caps: caps)
        u.send("REGISTER * * :password-\(nick)")
        _ = u.lines()
        precondition(u.client?.account != nil, "\(nick) did not log in")
        return u
    }

    static func sha(_ bytes: [UInt8]) -> String { SHA256.hex(of: bytes) }

    /// UPLOAD, the chunks and END; returns every line sent back (tags stripped).
    @discardableResult
    static func upload(_ u: TestUser, to target: String, name: String = "notes.txt", _ content: [UInt8],
                       sha: String? = nil, size: Int? = nil) -> [String] {
        u.send("FILE UPLOAD \(target) \(name) \(size ?? content.count) \(sha ?? SHA256.hex(of: content))")
        var out = u.plainLines()
        guard let ready = out.first(where: { $0.contains(" FILE READY ") }) else { return out }
        let parts = ready.split(separator: " ")
        let id = String(parts[3]), chunk = Int(parts[4])!
        var offset = 0
        while offset < content.count {
            let end = min(offset + chunk, content.count)
            u.send("FILE CHUNK \(id) :\(Base64.encode(Array(content[offset..<end])))")
            offset = end
        }
        u.send("FILE END \(id)")
        out += u.plainLines()
        return out
    }

    /// The file id of a `FILE STORED` line, if any.
    static func storedID(_ lines: [String]) -> String? {
        guard let line = lines.first(where: { $0.contains(" FILE STORED ") }) else { return nil }
        return String(line.split(separator: " ")[3])
    }

    /// The bytes of one download from BEGIN…DONE lines.
    static func downloaded(_ lines: [String], id: String) -> [UInt8]? {
        guard lines.contains(where: { $0.contains(" FILE BEGIN \(id) ") }),
              lines.contains(where: { $0.hasSuffix(" FILE DONE \(id)") }) else { return nil }
        var bytes: [UInt8] = []
        for line in lines where line.contains(" FILE DATA \(id) :") {
            let b64 = line[line.range(of: " FILE DATA \(id) :")!.upperBound...]
            guard let data = Data(base64Encoded: String(b64)) else { return nil }
            bytes += data
        }
        return bytes
    }
}
