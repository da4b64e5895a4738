/// The chunks of one `OutboundQueue`, oldest first: a growable ring of
/// references the ring holds through `ByteChunk.queueHolds`.
///
/// Every ring on the loop thread that holds a chunk shares one strong
/// reference to it: the first hold retains, the last drop releases. Why: a
/// broadcast queues the same chunk to every member, and a strong reference
/// per queue was an atomic retain at `append` and an atomic release at
/// `consume` per member, ~12 % of the loop's CPU in fan-out; an `Array` of
/// them added a uniqueness check per append and a reallocation per flush
/// (docs/BENCHMARKS.md, #14). Noncopyable, so no copy can take holds it does
/// not own; its deinit gives back what is still held.
///
/// Thread-safety: owned by one connection's queue; loop thread only. That
/// every ring lives on the loop thread is what makes the plain counter safe.
struct ChunkRing: ~Copyable {
    private var slots: UnsafeMutablePointer<Unmanaged<ByteChunk>>?
    private var capacity = 0  // a power of two, or 0 before the first append
    private var start = 0     // slot of the oldest chunk
    private(set) var count = 0

    init() {}

    deinit {
        for index in 0..<count { Self.drop(slots![(start + index) & (capacity - 1)]) }
        slots?.deallocate()
    }

    var isEmpty: Bool { count == 0 }

    /// The `index`th oldest chunk's bytes, borrowed: no reference counting.
    func region(_ index: Int) -> UnsafeRawBufferPointer {
        slots![(start + index) & (capacity - 1)]._withUnsafeGuaranteedRef { $0.pointer }
    }

    /// The newest chunk, borrowed for `body`, if there is one.
    func withLast<Result>(_ body: (ByteChunk) -> Result) -> Result? {
        guard count > 0 else { return nil }
        return slots![(start + count - 1) & (capacity - 1)]._withUnsafeGuaranteedRef(body)
    }

    mutating func append(_ chunk: ByteChunk) {
        if count == capacity { grow() }
        chunk.queueHolds += 1
        slots![(start + count) & (capacity - 1)] = chunk.queueHolds == 1 ? .passRetained(chunk) : .passUnretained(chunk)
        count += 1
    }

    /// Drops the oldest chunk.
    mutating func removeFirst() {
        Self.drop(slots![start])
        start = (start + 1) & (capacity - 1)
        count -= 1
        if count == 0 { start = 0; releaseSlotsIfUnneeded() }
    }

    mutating func removeAll() {
        for index in 0..<count { Self.drop(slots![(start + index) & (capacity - 1)]) }
        start = 0
        count = 0
        releaseSlotsIfUnneeded()
    }

    /// Up to this many slots (2 KiB) stay allocated when the ring empties: a
    /// busy fan-out member takes ~100 chunks per loop pass, and regrowing
    /// after every flush was half a dozen reallocations each time. A ring
    /// that grew past it (a slow reader's backlog) gives its slots back, and
    /// so does one that never grew past its first `initialSlots`: that is
    /// an idle or lightly used connection, which should not keep 48 bytes of
    /// heap for nothing (idle memory per connection is a measured target,
    /// ≤ 1,000 bytes), and for which one small allocation per flush is
    /// noise beside the `send`.
    static let retainedSlots = 256
    static let initialSlots = 4

    private mutating func releaseSlotsIfUnneeded() {
        guard capacity > Self.retainedSlots || capacity <= Self.initialSlots else { return }
        slots?.deallocate()
        slots = nil
        capacity = 0
    }

    private mutating func grow() {
        // Small to start: a welcome burst or a reply is one or two chunks.
        let newCapacity = max(Self.initialSlots, capacity * 2)
        let newSlots = UnsafeMutablePointer<Unmanaged<ByteChunk>>.allocate(capacity: newCapacity)
        for index in 0..<count {
            (newSlots + index).initialize(to: slots![(start + index) & (capacity - 1)])
        }
        slots?.deallocate()
        slots = newSlots
        capacity = newCapacity
        start = 0
    }

    /// One ring fewer holds the chunk; the last gives the reference back.
    private static func drop(_ held: Unmanaged<ByteChunk>) {
        let last = held._withUnsafeGuaranteedRef { chunk in
            chunk.queueHolds -= 1
            return chunk.queueHolds == 0
        }
        if last { held.release() }
    }
}
