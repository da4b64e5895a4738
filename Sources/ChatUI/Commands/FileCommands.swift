/// /send /get /files: the FILE extension (issue #11).
///
/// Thread-safety: the handlers run on the loop thread.
enum FileCommands {
    static let all: [UICommand] = [
        UICommand("send", "/send PATH [target]", "share a text file here (or with target)", min: 1) { app, a in
            guard let target = a[1] ?? app.currentTarget else { return app.error("Name a target, or use this in a channel or query window") }
            app.sendFile(path: a[0]!, target: target)
        },
        UICommand("get", "/get ID [PATH]", "download a shared file (its hash is checked)", min: 1) { app, a in
            app.getFile(id: a[0]!, path: a[1])
        },
        UICommand("files", "/files [target]", "list the files shared here") { app, a in
            guard let target = a[0] ?? app.currentTarget else { return app.error("Name a target, or use this in a channel or query window") }
            app.listFiles(target: target)
        },
    ]
}
