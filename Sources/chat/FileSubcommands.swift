import ArgumentParser
import ChatClient
import ChatServer
import Foundation

/// `chat upload --to T PATH`: shares a text file (FILE extension, issue #11).
///
/// Thread-safety: main thread.
struct Upload: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Share a text file with a channel or a nick (needs --account).")
    @OptionGroup var options: ConnectionOptions
    @Option(help: "A channel (#lobby) or a nick.") var to: String
    @Option(help: "Seconds to wait.") var timeout: Double = 120
    @Flag(help: "Print the result as JSON.") var json = false
    @Argument(help: "The file.") var path: String

    func run() throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw ChatExit(.localIO("cannot read \(path)")) }
        let name = (path as NSString).lastPathComponent
        var stored: String?
        try runScript(options, timeout: timeout) { session in
            let c = session.connection
            let upload = FileUpload(target: to, name: name, bytes: Array(data), send: { c.send($0) }, isWritable: { c.isWritable })
            c.onWritable = { upload.resume() }
            upload.onFinish = { state in
                switch state {
                case .stored(let id): stored = id; session.succeed()
                case .failed(let f): session.fail(f)
                default: break
                }
            }
            session.onMessage = { m in
                if let line = FileLine(m) { upload.receive(line) }
                if m.command == "JOIN", MessageDecoder.nickOf(m.source)?.lowercased() == c.nick.lowercased() { upload.start() }
                if ["403", "405", "471", "473", "474", "475"].contains(m.command) { session.fail(.refused(m.params.last ?? m.command)) }
            }
            // Files go to channels the sender is in.
            if c.isupport.isChannel(to) { c.send(IRCMessage(command: "JOIN", params: [to])) } else { upload.start() }
        }
        if let stored { printTable(["id", "name", "size"], [[stored, name, String(data.count)]], json: json) }
    }
}

/// `chat download ID [-o PATH]`: fetches a file and checks size and SHA-256.
///
/// Thread-safety: main thread.
struct Download: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Download a shared file by id; its size and SHA-256 are checked.")
    @OptionGroup var options: ConnectionOptions
    @Option(name: .shortAndLong, help: "Where to save it (default: its name, in this folder).") var output: String?
    @Option(help: "Seconds to wait.") var timeout: Double = 120
    @Option(help: "Join this channel first: a channel's files are readable by its members only.") var join: String?
    @Argument(help: "The file id.") var id: String

    func run() throws {
        var result: (String, [UInt8])?
        try runScript(options, timeout: timeout) { session in
            let c = session.connection
            let download = FileDownload(fileID: id)
            download.onFinish = { state in
                switch state {
                case .done(let name, let bytes): result = (name, bytes); session.succeed()
                case .failed(let f): session.fail(f)
                default: break
                }
            }
            session.onMessage = { m in
                if let line = FileLine(m) { download.receive(line) }
                if m.command == "JOIN", MessageDecoder.nickOf(m.source)?.lowercased() == c.nick.lowercased() { c.send(download.request) }
                if ["403", "405", "471", "473", "474", "475"].contains(m.command) { session.fail(.refused(m.params.last ?? m.command)) }
            }
            if let join { c.send(IRCMessage(command: "JOIN", params: [join])) } else { c.send(download.request) }
        }
        guard let (name, bytes) = result else { return }
        let path = output ?? (name.split(separator: "/").last.map(String.init) ?? "download")
        do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch {
            throw ChatExit(.localIO("cannot write \(path): \(error)"))
        }
        print(path)
    }
}

/// `chat files TARGET`: the files shared in a channel or with a nick.
///
/// Thread-safety: main thread.
struct Files: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the files shared in a channel or with a nick.")
    @OptionGroup var options: ConnectionOptions
    @Option(help: "Seconds to wait.") var timeout: Double = 15
    @Flag(help: "One JSON object per line.") var json = false
    @Argument(help: "A channel or a nick.") var target: String

    func run() throws {
        var entries: [FileEntry] = []
        try runScript(options, timeout: timeout) { session in
            let c = session.connection
            session.onMessage = { m in
                if m.command == "JOIN", MessageDecoder.nickOf(m.source)?.lowercased() == c.nick.lowercased() {
                    c.send(IRCMessage(command: "FILE", params: ["LIST", target]))
                }
                switch FileLine(m) {
                case .entry(let e)?: if entries.count < 100_000 { entries.append(e) }
                case .endList?: session.succeed()
                case .fail(let code, _, let text)?:
                    session.fail(code == "NO_SUCH_TARGET" ? .notFound(text) : .refused("\(code): \(text)"))
                default: break
                }
                if m.command == "421" { session.fail(.refused("this server has no FILE extension")) }
            }
            if c.isupport.isChannel(target) { c.send(IRCMessage(command: "JOIN", params: [target])) }
            else { c.send(IRCMessage(command: "FILE", params: ["LIST", target])) }
        }
        printTable(["id", "name", "size", "sha256", "uploader", "time"],
                   entries.map { [$0.id, $0.name, String($0.size), $0.sha256, $0.uploader, $0.time] }, json: json)
    }
}
