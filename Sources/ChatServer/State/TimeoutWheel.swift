/// When to look at each client's timeouts (registration, PING, ping reply):
/// a timer wheel of one-second slots, so the once-a-second sweep costs
/// O(clients due this second) instead of O(all clients). With 100,000 idle
/// connections the old sweep copied and walked every client each second.
///
/// An entry is a client id and the second it is due. Entries are never
/// removed early: a client that left is skipped when its entry comes up
/// (ids are never reused), and one whose deadline moved (new input) is
/// checked and filed again for the new deadline. Deadlines past one turn
/// of the wheel stay in their slot until their own second comes.
///
/// Thread-safety: a value owned by `ClientRegistry`; loop thread only.
struct TimeoutWheel {
    struct Entry {
        let id: UInt64
        let second: UInt64
    }

    /// 1,024 seconds per turn (a power of two, for the mask); longer
    /// deadlines wait a turn or more in their slot.
    static let slotCount = 1024
    private var slots: [[Entry]] = Array(repeating: [], count: slotCount)
    /// Every second up to and including this one has been handed out.
    private var cursor: UInt64 = 0
    /// Entries filed, including those of clients that have since left.
    private(set) var count = 0

    /// Files `id` to be handed out in the first whole second after
    /// `deadlineNanos` (so its deadline has passed by then); a deadline
    /// already past is handed out at the next sweep. `UInt64.max` means never.
    mutating func schedule(_ id: UInt64, afterNanos deadlineNanos: UInt64) {
        guard deadlineNanos != .max else { return }
        let second = Swift.max(deadlineNanos / 1_000_000_000 + 1, cursor + 1)
        slots[Int(second & UInt64(Self.slotCount - 1))].append(Entry(id: id, second: second))
        count += 1
    }

    /// Appends to `due` the ids whose second has come by `nowNanos`, and
    /// forgets them.
    mutating func takeDue(nowNanos: UInt64, into due: inout [UInt64]) {
        let now = nowNanos / 1_000_000_000
        guard now > cursor else { return }
        // After a long pause every slot is looked at once, not once per second.
        let steps = Swift.min(now - cursor, UInt64(Self.slotCount))
        for step in 1...steps {
            let index = Int((cursor + step) & UInt64(Self.slotCount - 1))
            guard !slots[index].isEmpty else { continue }
            var slot = slots[index]
            slots[index] = []  // so `slot` is the only reference: no copy on write
            var kept = 0
            for read in 0..<slot.count {
                let entry = slot[read]
                if entry.second <= now {
                    due.append(entry.id)
                } else {
                    slot[kept] = entry
                    kept += 1
                }
            }
            count -= slot.count - kept
            slot.removeLast(slot.count - kept)
            slots[index] = slot
        }
        cursor = now
    }

    /// Forgets every entry (the caller files the clients again), keeping the
    /// position: for a reload that changed the timeouts.
    mutating func removeAll() {
        for index in slots.indices where !slots[index].isEmpty { slots[index] = [] }
        count = 0
    }
}
