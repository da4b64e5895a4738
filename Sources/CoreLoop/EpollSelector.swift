import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// `Selector` over Linux epoll, level-triggered. The only file that knows
/// epoll's flags; everything above sees `Interest` and `EventSet`.
///
/// The registration token travels in `epoll_event.data.u64`, so the loop can
/// tell an event for a descriptor that was closed and reused within one wait
/// from an event for its new owner.
///
/// Thread-safety: loop thread only.
public final class EpollSelector: Selector {
    private var epfd: Int32
    private var events: UnsafeMutablePointer<epoll_event>
    private let capacity: Int
    public var maxEventsPerWait: Int { capacity }

    /// - Parameter maxEventsPerWait: how many ready descriptors one wait returns at most.
    public init(maxEventsPerWait: Int = 1024) throws {
        epfd = try syscallChecked("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        capacity = maxEventsPerWait
        events = .allocate(capacity: maxEventsPerWait)
    }

    deinit {
        close()
        events.deallocate()
    }

    private static func epollBits(_ interest: Interest) -> UInt32 {
        // RDHUP only with read interest: once a reader has seen end of input it
        // drops read interest, and a level-triggered RDHUP would otherwise spin.
        var bits: UInt32 = 0
        if interest.contains(.read) { bits |= cepoll_in() | cepoll_rdhup() }
        if interest.contains(.write) { bits |= cepoll_out() }
        return bits
    }

    private func control(_ op: Int32, fd: Int32, interest: Interest, token: UInt64, name: String) throws {
        var ev = epoll_event()
        ev.events = Self.epollBits(interest)
        ev.data.u64 = token
        try syscallChecked(name) { epoll_ctl(epfd, op, fd, &ev) }
    }

    public func register(fd: Int32, interest: Interest, token: UInt64) throws {
        try control(EPOLL_CTL_ADD, fd: fd, interest: interest, token: token, name: "epoll_ctl(ADD)")
    }

    public func reregister(fd: Int32, interest: Interest, token: UInt64) throws {
        try control(EPOLL_CTL_MOD, fd: fd, interest: interest, token: token, name: "epoll_ctl(MOD)")
    }

    public func deregister(fd: Int32) throws {
        var ev = epoll_event()
        try syscallChecked("epoll_ctl(DEL)") { epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev) }
    }

    @discardableResult
    public func whenReady(timeoutMilliseconds: Int32, _ body: (SelectorEvent) throws -> Void) throws -> Int {
        let count: Int32
        switch try syscall("epoll_wait", { epoll_wait(epfd, events, Int32(capacity), timeoutMilliseconds) }) {
        case .processed(let n): count = n
        case .wouldBlock: count = 0
        }
        let inBit = cepoll_in(), outBit = cepoll_out(), errBit = cepoll_err()
        let hupBit = cepoll_hup(), rdhupBit = cepoll_rdhup()
        for i in 0..<Int(count) {
            let raw = events[i]
            var set: EventSet = []
            if raw.events & inBit != 0 { set.insert(.readable) }
            if raw.events & outBit != 0 { set.insert(.writable) }
            if raw.events & errBit != 0 { set.insert(.error) }
            if raw.events & hupBit != 0 { set.insert(.hangup) }
            if raw.events & rdhupBit != 0 { set.insert(.readHangup) }
            try body(SelectorEvent(token: raw.data.u64, events: set))
        }
        return Int(count)
    }

    public func close() {
        if epfd >= 0 {
            closeDescriptor(epfd)
            epfd = -1
        }
    }
}
