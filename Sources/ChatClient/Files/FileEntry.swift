/// One shared file as `FILE LIST` reports it.
///
/// Thread-safety: a value type; any thread.
public struct FileEntry: Equatable {
    public var id: String
    public var name: String
    public var size: Int
    public var sha256: String
    public var uploader: String
    /// As the server sends it (the issue does not fix a format; shown as is).
    public var time: String

    public init(id: String, name: String, size: Int, sha256: String, uploader: String, time: String) {
        self.id = id
        self.name = name
        self.size = size
        self.sha256 = sha256
        self.uploader = uploader
        self.time = time
    }
}
