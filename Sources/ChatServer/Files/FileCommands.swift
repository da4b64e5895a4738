/// The FILE command (docs/FILES.md): one row in the command table; the
/// subcommands are parsed by `FileRequest` and run by `FileSharing`.
///
/// FILE costs a flood token like any line; `FileSharing.handle` gives it
/// back for CHUNK, END and ABORT of an upload in progress, which may come
/// faster than chat lines (they are bounded by the announced size).
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum FileCommands {
    static let all: [CommandSpec] = [
        // No minimum: a bare FILE gets `FAIL FILE INVALID_PARAMS` (FileRequest), as docs/FILES.md says.
        CommandSpec("FILE") { server, client, message in
            server.files.handle(message, from: client)
        },
    ]
}
