/// Relative paths in a configuration file name places beside that file, as
/// nginx and most daemons read them, so `chatd --config /etc/chatd/config.json`
/// finds its `web` folder and data wherever it is started from. Paths from
/// the command line (`--data-dir`) and the built-in defaults (no file) stay
/// relative to the working directory, where the person typing them is.
///
/// Thread-safety: a value type; any thread.
extension ServerConfig {
    /// This configuration with every relative file path (dataDir, motdFile,
    /// consoleSocket, tls.certificateFile, tls.keyFile, http.webRoot) put
    /// under `folder`; a folder of "" or "." leaves them as they are.
    public func resolvingRelativePaths(against folder: String) -> ServerConfig {
        guard !folder.isEmpty, folder != "." else { return self }
        var resolved = self
        resolved.dataDir = Self.resolve(dataDir, against: folder)
        resolved.motdFile = motdFile.map { Self.resolve($0, against: folder) }
        resolved.consoleSocket = consoleSocket.map { Self.resolve($0, against: folder) }
        resolved.tls.certificateFile = tls.certificateFile.map { Self.resolve($0, against: folder) }
        resolved.tls.keyFile = tls.keyFile.map { Self.resolve($0, against: folder) }
        resolved.http.webRoot = Self.resolve(http.webRoot, against: folder)
        return resolved
    }

    /// The folder part of a configuration file's path: "." for a bare name.
    public static func folder(ofFile file: String) -> String {
        guard let slash = file.lastIndex(of: "/") else { return "." }
        let folder = String(file[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// `path` under `folder` unless it is absolute; a leading "./" is dropped
    /// so logs show `/etc/chatd/data`, not `/etc/chatd/./data`.
    static func resolve(_ path: String, against folder: String) -> String {
        if path.hasPrefix("/") { return path }
        var rest = Substring(path)
        while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
        if rest.isEmpty || rest == "." { return folder }
        return folder.hasSuffix("/") ? folder + rest : folder + "/" + rest
    }
}
