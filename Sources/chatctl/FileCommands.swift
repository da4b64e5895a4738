import ArgumentParser
import Foundation

/// `chatctl files [--target T]` and `chatctl files delete <id>`.
struct Files: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List shared files, or delete one.",
        subcommands: [List.self, Delete.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Shared files: all, or those shared to one channel or person.")
        @OptionGroup var options: ConsoleOptions
        @Option(help: "A channel, nick or account name.") var target: String?
        func run() throws {
            var request: [String: Any] = ["cmd": "files"]
            if let target { request["target"] = target }
            try options.run(request) { reply in
                let rows = reply["files"] as? [[String: Any]] ?? []
                let columns = ["id", "filename", "size", "uploader", "target", "createdAt", "sha256"]
                print(TableFormatter.render(headers: ["ID", "NAME", "BYTES", "UPLOADER", "TARGET", "SHARED", "SHA256"],
                                            rows: rows.map { row in columns.map { display(row[$0]) } }))
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a shared file (its bytes go when no other share uses them).")
        @OptionGroup var options: ConsoleOptions
        @Argument(help: "The file id (as in FILE GET <id>).") var id: Int
        func validate() throws {
            guard id > 0 else { throw ValidationError("the file id is a positive number") }
        }
        func run() throws {
            try options.run(["cmd": "file-delete", "id": id]) { _ in print("file \(id) deleted") }
        }
    }
}
