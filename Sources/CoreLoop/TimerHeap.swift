/// Identifies a scheduled timer so it can be cancelled.
public struct TimerHandle: Hashable {
    public let id: UInt64
}

/// Pending timers ordered by deadline in a binary min-heap. Ties fire in the
/// order they were scheduled. Cancelling is O(1): the entry is forgotten and
/// skipped when it reaches the top.
///
/// Thread-safety: loop thread only (owned by one `EventLoop`).
struct TimerHeap {
    struct Entry {
        var deadline: UInt64
        var id: UInt64
        var interval: UInt64  // 0: one-shot
    }

    private var heap: [Entry] = []
    private var callbacks: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 1

    mutating func schedule(deadline: UInt64, interval: UInt64, _ callback: @escaping () -> Void) -> TimerHandle {
        let id = nextID
        nextID += 1
        callbacks[id] = callback
        push(Entry(deadline: deadline, id: id, interval: interval))
        return TimerHandle(id: id)
    }

    @discardableResult
    mutating func cancel(_ handle: TimerHandle) -> Bool {
        callbacks.removeValue(forKey: handle.id) != nil
    }

    func isScheduled(_ handle: TimerHandle) -> Bool { callbacks[handle.id] != nil }

    /// Forgets every timer (and the callbacks' captures). Ids keep counting,
    /// so an old handle can never cancel a newer timer.
    mutating func removeAll() {
        heap = []
        callbacks = [:]
    }

    /// The earliest live deadline, dropping cancelled entries on the way.
    mutating func earliestDeadline() -> UInt64? {
        while let top = heap.first {
            if callbacks[top.id] != nil { return top.deadline }
            _ = pop()
        }
        return nil
    }

    /// Removes the entries due at `now` and returns them in deadline order,
    /// with how late each is; repeating ones are re-armed. Fetch each callback
    /// with `takeCallback` just before calling it, so that a timer cancelled by
    /// an earlier callback of the same batch does not fire. Timers scheduled
    /// while firing wait for the next turn.
    mutating func popDue(now: UInt64) -> [(handle: TimerHandle, repeating: Bool, lateness: UInt64)] {
        var due: [(handle: TimerHandle, repeating: Bool, lateness: UInt64)] = []
        var rearm: [Entry] = []
        while let top = heap.first, top.deadline <= now {
            let entry = pop()
            guard callbacks[entry.id] != nil else { continue }
            due.append((TimerHandle(id: entry.id), entry.interval > 0, now - entry.deadline))
            if entry.interval > 0 {
                var next = entry
                // Skip missed periods instead of firing a burst after a stall.
                next.deadline = max(entry.deadline &+ entry.interval, now &+ 1)
                rearm.append(next)
            }
        }
        for entry in rearm { push(entry) }
        return due
    }

    /// The callback to run now, or nil if the timer was cancelled meanwhile.
    /// A one-shot timer is forgotten by this call.
    mutating func takeCallback(_ handle: TimerHandle, repeating: Bool) -> (() -> Void)? {
        repeating ? callbacks[handle.id] : callbacks.removeValue(forKey: handle.id)
    }

    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline != b.deadline ? a.deadline < b.deadline : a.id < b.id
    }

    private mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func pop() -> Entry {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
                if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}
