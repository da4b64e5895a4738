/// What the server needs for accounts and history: the database and where
/// to run blocking work. Without it, accounts and history are off.
///
/// Thread-safety: set up before the loop runs; the offloaders' `offload` is
/// called on the loop thread.
public struct ServerServices {
    public var storage: ChatStorage
    /// Password hashing: bursty and CPU-bound, so the daemon runs it at idle
    /// priority, where a login storm cannot delay chat.
    public var hashers: Offloader
    /// Database reads (history, account lists): kept apart from the hashes,
    /// so a storm of log-ins does not queue them.
    public var readers: Offloader
    /// Database writes, in order (one thread), counted so shutdown can
    /// wait for them (`pendingWrites`).
    public var writer: Offloader { writes }
    private let writes: CountingOffloader

    public init(storage: ChatStorage, hashers: Offloader, readers: Offloader, writer: Offloader) {
        self.storage = storage
        self.hashers = hashers
        self.readers = readers
        writes = CountingOffloader(writer)
    }

    /// Writes handed to the writer whose completion has not run yet.
    public var pendingWrites: Int { writes.outstanding }
}
