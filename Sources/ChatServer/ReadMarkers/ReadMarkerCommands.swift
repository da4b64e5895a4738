/// The MARKREAD command (draft/read-marker); the rules are `ReadMarkers`'.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum ReadMarkerCommands {
    // No minimum: a bare MARKREAD gets the specification's FAIL NEED_MORE_PARAMS, not 461.
    static let all: [CommandSpec] = [CommandSpec("MARKREAD", { server, client, message in
        server.readMarkers.handle(client, message)
    })]
}
