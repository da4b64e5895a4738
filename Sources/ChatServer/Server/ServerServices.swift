/// What the server needs for accounts and history: the database and where
/// to run blocking work. Without it, accounts and history are off.
///
/// Thread-safety: set up before the loop runs; the offloaders' `offload` is
/// called on the loop thread.
public struct ServerServices {
    public var storage: ChatStorage
    /// Hashing and database reads (several threads).
    public var workers: Offloader
    /// Database writes, in order (one thread).
    public var writer: Offloader

    public init(storage: ChatStorage, workers: Offloader, writer: Offloader) {
        self.storage = storage
        self.workers = workers
        self.writer = writer
    }
}
