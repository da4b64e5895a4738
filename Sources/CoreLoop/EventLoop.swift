#if canImport(Glibc)
import Glibc
#endif

/// A single-threaded reactor over a `Selector`.
///
/// One turn of `run()`, in this order (after Redis's `ae` and libuv):
/// 1. **tasks**: run closures posted with `execute` (worker results, wakeups);
/// 2. **before sleep**: flush every connection with queued output (one `writev`
///    batch each); `EPOLLOUT` stays armed only where bytes remain;
/// 3. **wait**: `epoll_wait` with a timeout from the earliest timer (0 if tasks
///    are already pending);
/// 4. **dispatch**: per ready descriptor error/hang-up, then write, then read,
///    re-checking after every callback that the registration is still the same
///    one, so a descriptor closed and reused in this turn never gets its
///    predecessor's events;
/// 5. **timers**: run the ones now due.
///
/// Registrations hold their handlers and handlers hold their loop, so a loop
/// that is simply dropped keeps itself, its handlers and their descriptors
/// alive: `close()` ends that.
///
/// Thread-safety: `execute` and `stop` may be called from any thread. Everything
/// else belongs to the loop thread: the thread running `run()`, or, before
/// `run()` starts, the thread setting the loop up. Debug builds check this.
public final class EventLoop {
    /// A registered descriptor: the slot for `fd` holds its handler and token.
    private struct Slot {
        var token: UInt64
        var interest: Interest
        var handler: Selectable  // strong: a registration keeps its handler alive
    }

    /// Private: a registration made behind the loop's back would have no slot,
    /// so its events would be dropped as stale (Redis keeps `apidata` opaque too).
    private let selector: Selector
    private var slots: [Slot?] = []
    private var generation: UInt32 = 0
    private var timers = TimerHeap()
    private var flushQueue: [BeforeSleepFlushable] = []
    /// The batch being flushed; swapped with `flushQueue` so that neither
    /// array is given away and regrown every turn.
    private var flushing: [BeforeSleepFlushable] = []

    private let waker: EventFDWaker
    private let taskLock = Lock()
    private var pendingTasks: [() -> Void] = []
    private var stopRequested = false  // guarded by taskLock
    /// Set when `close()` has closed the eventfd: nothing may wake it any more.
    private var wakerClosed = false  // guarded by taskLock
    /// Set as `close()` begins: from then on registrations are refused.
    private var closing = false

    private var loopThread: pthread_t?

    /// Counters for status reports.
    public var stats: EventLoopStats { counters }
    /// Whether this turn's wait returned as many events as the selector
    /// reports at once: more descriptors may be ready in the kernel (the
    /// next wait returns them at once). A caller gathering a burst
    /// (a crowd hanging up together, `Departures`) waits for a wait that
    /// was not full. Loop thread only.
    public private(set) var lastWaitWasFull = false
    /// Internal behind `stats`: see `StreamConnection.descriptor` for why.
    private var counters = EventLoopStats()

    /// A scratch buffer for reads: shared by every connection of this loop,
    /// since a read's bytes are handed on before the next read starts.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Scratch iovecs for `writev`, shared the same way.
    let iovecs: UnsafeMutableBufferPointer<iovec>
    /// Hands out connection ids unique within this loop.
    var nextConnectionID: UInt64 = 1

    public init(selector: Selector? = nil, readBufferSize: Int = 64 * 1024) throws {
        self.selector = try selector ?? EpollSelector()
        self.waker = try EventFDWaker()
        self.readBuffer = .allocate(byteCount: readBufferSize, alignment: 16)
        self.iovecs = .allocate(capacity: 64)
        _ = try register(waker, fd: waker.fd, interest: .read)
    }

    deinit {
        selector.close()
        readBuffer.deallocate()
        iovecs.deallocate()
    }

    // MARK: Thread ownership

    /// True on the loop thread (or during setup, before `run()` started).
    public var inLoopThread: Bool {
        guard let owner = loopThread else { return true }
        return pthread_equal(owner, pthread_self()) != 0
    }

    @inline(__always)
    public func assertInLoop(file: StaticString = #fileID, line: UInt = #line) {
        assert(inLoopThread, "EventLoop touched off its thread", file: file, line: line)
    }

    // MARK: Registration

    /// Registers `handler` for `fd` and returns its token. The loop keeps the
    /// handler alive until `deregister`.
    /// - Throws: `EventLoopError.closed` once `close()` has begun.
    public func register(_ handler: Selectable, fd: Int32, interest: Interest) throws -> UInt64 {
        assertInLoop()
        precondition(fd >= 0)
        guard !closing else { throw EventLoopError.closed }
        generation &+= 1
        let token = UInt64(generation) << 32 | UInt64(UInt32(fd))
        try selector.register(fd: fd, interest: interest, token: token)
        let index = Int(fd)
        if index >= slots.count { slots.append(contentsOf: repeatElement(nil, count: index - slots.count + 1)) }
        slots[index] = Slot(token: token, interest: interest, handler: handler)
        counters.registrations += 1
        return token
    }

    /// Changes the interest of a registration; a no-op when unchanged.
    public func setInterest(_ interest: Interest, fd: Int32, token: UInt64) throws {
        assertInLoop()
        guard let slot = slots[Int(fd)], slot.token == token else { return }
        guard slot.interest != interest else { return }
        try selector.reregister(fd: fd, interest: interest, token: token)
        slots[Int(fd)]!.interest = interest
    }

    /// Forgets a registration. Call before closing the descriptor.
    public func deregister(fd: Int32, token: UInt64) {
        guard forget(fd: fd, token: token) else { return }
        try? selector.deregister(fd: fd)
    }

    /// Forgets a registration whose descriptor the caller closes next, without
    /// `EPOLL_CTL_DEL`: the kernel drops a file from every epoll set when its
    /// last descriptor is closed, and the descriptors CoreLoop opens are
    /// close-on-exec and never duplicated, so that close is the last one. One
    /// system call fewer per closed connection (a churn cycle made two
    /// `epoll_ctl` calls). Should another reference exist after all (a child
    /// between fork and exec), its events carry the old token and are dropped
    /// as stale.
    public func deregisterBeforeClose(fd: Int32, token: UInt64) {
        forget(fd: fd, token: token)
    }

    /// Drops the slot of a live registration; false if `token` is not it.
    @discardableResult
    private func forget(fd: Int32, token: UInt64) -> Bool {
        assertInLoop()
        guard Int(fd) < slots.count, let slot = slots[Int(fd)], slot.token == token else { return false }
        slots[Int(fd)] = nil
        counters.registrations -= 1
        return true
    }

    /// True while `token` is the live registration of `fd`.
    @inline(__always)
    public func isRegistered(fd: Int32, token: UInt64) -> Bool {
        Int(fd) < slots.count && slots[Int(fd)]?.token == token
    }

    // MARK: Tasks

    /// Runs `task` on the loop thread at the start of a coming turn. Any thread.
    /// After `close()` the task is dropped: no turn will come.
    public func execute(_ task: @escaping () -> Void) {
        taskLock.withLock {
            guard !wakerClosed else { return }
            let wasEmpty = pendingTasks.isEmpty
            pendingTasks.append(task)
            // Only the first task of a batch needs to wake the loop: the loop
            // takes the whole batch at once. Woken under the lock, so that
            // `close()` cannot close the eventfd between the check and the write.
            if wasEmpty { waker.wake() }
        }
    }

    private func runPendingTasks() {
        let batch = taskLock.withLock { () -> [() -> Void] in
            let tasks = pendingTasks
            pendingTasks = []
            return tasks
        }
        for task in batch {
            // The rest of a batch after a task closed the loop is dropped,
            // like the tasks still waiting.
            guard !closing else { break }
            task()
            counters.tasksRun &+= 1
        }
    }

    private var hasPendingTasks: Bool { taskLock.withLock { !pendingTasks.isEmpty } }

    // MARK: Timers

    /// Calls `callback` once, `delay` from now.
    @discardableResult
    public func schedule(after delay: Nanoseconds, _ callback: @escaping () -> Void) -> TimerHandle {
        assertInLoop()
        guard !closing else { return Self.neverScheduled }
        return timers.schedule(deadline: MonotonicClock.nanoseconds() &+ delay.value, interval: 0, callback)
    }

    /// Calls `callback` every `interval`, first after one interval.
    @discardableResult
    public func scheduleRepeating(every interval: Nanoseconds, _ callback: @escaping () -> Void) -> TimerHandle {
        assertInLoop()
        precondition(interval.value > 0, "a repeating timer needs a positive interval")
        guard !closing else { return Self.neverScheduled }
        return timers.schedule(deadline: MonotonicClock.nanoseconds() &+ interval.value, interval: interval.value, callback)
    }

    /// What `schedule` returns once the loop is closed: no timer has id 0,
    /// so it is never scheduled and cancelling it does nothing.
    private static let neverScheduled = TimerHandle(id: 0)

    /// Cancels a timer; it will not fire, even if due in this very turn.
    /// Returns false if it already fired (one-shot) or was cancelled.
    @discardableResult
    public func cancel(_ handle: TimerHandle) -> Bool {
        assertInLoop()
        return timers.cancel(handle)
    }

    public func isScheduled(_ handle: TimerHandle) -> Bool { timers.isScheduled(handle) }

    private func runDueTimers() {
        let now = MonotonicClock.nanoseconds()
        for due in timers.popDue(now: now) {
            guard let callback = timers.takeCallback(due.handle, repeating: due.repeating) else { continue }
            counters.recordTimerLateness(due.lateness)
            callback()
            counters.timersFired &+= 1
        }
    }

    // MARK: Before sleep

    /// Asks for `flushable.flushBeforeSleep()` in this turn's before-sleep phase.
    /// The caller keeps a flag so that it asks at most once per turn.
    public func scheduleFlush(_ flushable: BeforeSleepFlushable) {
        assertInLoop()
        guard !closing else { return }  // no turn will flush it
        flushQueue.append(flushable)
    }

    private func flushPending() {
        // Flushing may close connections, which may queue more flushes.
        while !flushQueue.isEmpty {
            swap(&flushQueue, &flushing)
            for item in flushing { item.flushBeforeSleep() }
            flushing.removeAll(keepingCapacity: true)
        }
    }

    // MARK: Running

    /// Runs turns until `stop()`. Call from the thread that is to own the loop.
    public func run() throws {
        loopThread = pthread_self()
        while !taskLock.withLock({ stopRequested }) {
            try runOnce()
        }
    }

    /// Ends `run()` after the current turn. Any thread.
    public func stop() {
        taskLock.withLock {
            stopRequested = true
            if !wakerClosed { waker.wake() }
        }
    }

    /// Closes the loop and everything registered with it. Each handler hears
    /// `loopWillClose()` (CoreLoop's own close their descriptors; a
    /// connection's delegate hears `.local("event loop closed")`); any other
    /// registration is forgotten. Timers, flushes and waiting tasks are
    /// dropped with their captures; the selector and the eventfd are closed.
    /// Afterwards `register` throws `EventLoopError.closed`, `execute` drops
    /// its task, and `run()` returns after the current turn. Idempotent.
    ///
    /// Call it on the loop thread (from a task, while `run()` runs).
    public func close() {
        assertInLoop()
        guard !closing else { return }
        closing = true
        // Handlers first, while the selector can still deregister them. A
        // handler's close may close others (a delegate closing its peers) but
        // cannot register new ones, so one pass over the slots suffices.
        for index in slots.indices {
            guard let slot = slots[index], slot.handler !== waker else { continue }
            slot.handler.loopWillClose()
            let fd = Int32(index)
            if isRegistered(fd: fd, token: slot.token) { deregister(fd: fd, token: slot.token) }
        }
        timers.removeAll()
        flushQueue.removeAll()
        flushing.removeAll()
        if let slot = slots[Int(waker.fd)] { deregister(fd: waker.fd, token: slot.token) }
        let dropped = taskLock.withLock { () -> [() -> Void] in
            let tasks = pendingTasks
            pendingTasks = []
            stopRequested = true
            wakerClosed = true
            waker.close()
            return tasks
        }
        // Released outside the lock: a capture's deinit may call `execute`.
        withExtendedLifetime(dropped) {}
        selector.close()
        slots = []
    }

    /// True once `close()` has begun.
    public var isClosed: Bool { closing }

    /// One turn of the loop; `run()` calls this. Exposed for tests that drive
    /// the loop by hand.
    /// - Throws: `EventLoopError.closed` after `close()`.
    public func runOnce(maxWaitMilliseconds: Int32 = -1) throws {
        guard !closing else { throw EventLoopError.closed }
        let started = MonotonicClock.nanoseconds()
        runPendingTasks()
        flushPending()
        // A task may have closed the loop: the selector is gone.
        guard !closing else { return }
        let beforeWait = MonotonicClock.nanoseconds()

        var timeout: Int32 = maxWaitMilliseconds
        if hasPendingTasks || !flushQueue.isEmpty {
            timeout = 0
        } else if let deadline = timers.earliestDeadline() {
            let now = MonotonicClock.nanoseconds()
            let waitNanos = deadline > now ? deadline - now : 0
            // Round up, so we never wake just before a deadline and spin.
            let ms = Int32(clamping: (waitNanos + 999_999) / 1_000_000)
            timeout = timeout < 0 ? ms : min(timeout, ms)
        }

        var woke: UInt64 = 0
        let ready = try selector.whenReady(timeoutMilliseconds: timeout) { event in
            if woke == 0 { woke = MonotonicClock.nanoseconds() }
            dispatch(event)
        }
        lastWaitWasFull = ready >= selector.maxEventsPerWait
        if woke == 0 { woke = MonotonicClock.nanoseconds() }
        runDueTimers()
        counters.iterations &+= 1
        // Work time of the turn: before the wait, and from waking to here.
        counters.iterationTime.record((beforeWait &- started) &+ (MonotonicClock.nanoseconds() &- woke))
    }

    @inline(__always)
    private func dispatch(_ event: SelectorEvent) {
        let fd = Int32(truncatingIfNeeded: event.token & 0xFFFF_FFFF)
        guard isRegistered(fd: fd, token: event.token), let slot = slots[Int(fd)] else {
            counters.staleEventsDropped &+= 1
            return
        }
        let handler = slot.handler
        let events = event.events
        if events.contains(.error) || events.contains(.hangup) {
            handler.handleHangup(error: events.contains(.error))
            // the callback may have closed or reused this fd
            guard isRegistered(fd: fd, token: event.token) else { return }
        }
        if events.contains(.writable) {
            handler.handleWritable()
            // the callback may have closed or reused this fd
            guard isRegistered(fd: fd, token: event.token) else { return }
        }
        if events.contains(.readable) || events.contains(.readHangup) {
            handler.handleReadable()
        }
    }
}
