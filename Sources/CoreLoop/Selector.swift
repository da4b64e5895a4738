/// What a registered descriptor wants to hear about.
public struct Interest: OptionSet, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let read = Interest(rawValue: 1 << 0)
    public static let write = Interest(rawValue: 1 << 1)
}

/// What the kernel reported for one descriptor in one wait.
public struct EventSet: OptionSet, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let readable = EventSet(rawValue: 1 << 0)
    public static let writable = EventSet(rawValue: 1 << 1)
    /// An error is pending on the descriptor (EPOLLERR).
    public static let error = EventSet(rawValue: 1 << 2)
    /// Both directions are shut (EPOLLHUP).
    public static let hangup = EventSet(rawValue: 1 << 3)
    /// The peer shut its writing side (EPOLLRDHUP): input ends after what is buffered.
    public static let readHangup = EventSet(rawValue: 1 << 4)
}

/// A readiness notification, tagged with the token given at registration.
public struct SelectorEvent {
    public var token: UInt64
    public var events: EventSet
    public init(token: UInt64, events: EventSet) {
        self.token = token
        self.events = events
    }
}

/// The readiness multiplexer behind an `EventLoop`. The loop speaks only this
/// protocol; the kernel interface's bits stay inside the implementation.
///
/// Thread-safety: loop thread only.
public protocol Selector: AnyObject {
    /// Starts watching `fd`; every event for it carries `token`.
    func register(fd: Int32, interest: Interest, token: UInt64) throws
    /// Changes what `fd` is watched for (the token may change too).
    func reregister(fd: Int32, interest: Interest, token: UInt64) throws
    /// Stops watching `fd`. Must be called before the descriptor is closed.
    func deregister(fd: Int32) throws
    /// Waits up to `timeoutMilliseconds` (-1: forever, 0: poll) and calls
    /// `body` once per ready descriptor. Returns the number of events.
    @discardableResult
    func whenReady(timeoutMilliseconds: Int32, _ body: (SelectorEvent) throws -> Void) throws -> Int
    /// Releases the kernel object. The selector is unusable afterwards.
    func close()
    /// The most events one `whenReady` reports: a wait that returned this
    /// many may have left more ready descriptors in the kernel.
    var maxEventsPerWait: Int { get }
}

extension Selector {
    public var maxEventsPerWait: Int { .max }
}
