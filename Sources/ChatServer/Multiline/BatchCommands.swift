/// The BATCH command: client-initiated batches, of which only
/// `draft/multiline` exists (`MultilineBatches`).
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum BatchCommands {
    static let all: [CommandSpec] = [CommandSpec("BATCH", minParams: 1, { server, client, message in
        server.multiline.batch(client, message)
    })]
}
