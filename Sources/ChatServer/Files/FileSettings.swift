/// The `files` section of config.json: who may share text files, how large
/// they may be, and how long an upload may sit idle.
///
/// Thread-safety: a value type; any thread.
public struct FileSettings: Equatable {
    /// Only clients logged in to an account may upload (and so be charged a quota).
    public var requireAccount = true
    /// The largest file, in bytes (`FILES=` in ISUPPORT).
    public var maxBytes = 1_048_576
    /// Bytes one account may have shared in all, counting each share.
    public var quotaBytes = 52_428_800
    /// Uploads one connection may have in progress at once.
    public var maxUploadsPerConnection = 2
    /// An upload that receives no chunk for this long is dropped.
    public var uploadIdleSeconds = 60
    /// Bytes all uploads in progress on the server may hold in memory
    /// together (each counts its announced size from UPLOAD until it is
    /// stored or dropped); 0: no cap. Bounds what many connections at their
    /// per-connection limit could otherwise make the server hold.
    public var maxUploadMemoryBytes = 67_108_864
    /// The same for downloads over IRC (`FILE GET`): bytes of files all of
    /// them together may hold (each from when its row is read until it is
    /// sent or its client leaves); 0: no cap. A reader that never reads
    /// would otherwise keep up to four files in memory per connection.
    public var maxDownloadMemoryBytes = 67_108_864
    /// Media types besides text that uploads over HTTP (FILEHOST) may have,
    /// as `type/subtype` or `type/*` (e.g. `audio/*`); the type comes from
    /// the file name's extension. Empty: text only. `FILE UPLOAD` stays text only.
    public var allowedTypes: [String] = []
    public init() {}
}
