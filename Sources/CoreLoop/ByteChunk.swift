#if canImport(Glibc)
import Glibc
#endif

/// Bytes that many connections may queue at once.
///
/// A broadcast encodes its line into one chunk and enqueues that same chunk to
/// every recipient: each queue holds a reference, nobody copies. The storage
/// never moves, so `writev` can point straight at it.
///
/// One internal exception to immutability: an `OutboundQueue` makes *private
/// tail* chunks for replies to its own connection and appends to the last
/// one in place (into spare capacity, so the storage still never moves).
/// Such a chunk never leaves its queue.
///
/// Thread-safety: public chunks are immutable after init and may be shared
/// across threads; a private tail chunk is touched only by its queue's
/// thread (the loop thread), and `queueHolds` only by queues, all of which
/// live on the loop thread.
public final class ByteChunk {
    private let base: UnsafeMutableRawPointer
    // Unchecked: read for every chunk of every flush (`pointer`); it changes
    // only for a private tail, in place, by its own queue on the loop thread.
    @exclusivity(unchecked) public private(set) var count: Int
    let capacity: Int
    /// Made by an `OutboundQueue` for its own replies: may grow in place.
    let isPrivateTail: Bool
    /// How many `OutboundQueue`s hold this chunk; together they keep one
    /// strong reference (ChunkRing.swift says why). Loop thread only:
    /// every queue lives there. Unchecked for the same reason as `count`.
    @exclusivity(unchecked) var queueHolds = 0

    public var pointer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    public convenience init(_ bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count) { destination in
            if bytes.count > 0 { destination.copyMemory(from: bytes) }
        }
    }

    // The copies happen inside the closures: a pointer from withUnsafeBytes
    // or withUTF8 is valid only there.
    public convenience init(_ bytes: [UInt8]) {
        self.init(count: bytes.count) { destination in
            bytes.withUnsafeBytes { destination.copyMemory(from: $0) }
        }
    }

    public convenience init(_ string: String) {
        let utf8 = string.utf8
        self.init(count: utf8.count) { destination in destination.copyBytes(from: utf8) }
    }

    /// Builds a chunk of exactly `count` bytes in place.
    /// - Warning: the buffer handed to `fill` is valid only during the call;
    ///   writing through it later would change bytes other queues already share.
    public init(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 1)
        self.count = count
        capacity = count
        isPrivateTail = false
        fill(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    /// An empty private tail chunk with room for `capacity` bytes.
    init(privateTailCapacity: Int) {
        base = UnsafeMutableRawPointer.allocate(byteCount: max(privateTailCapacity, 1), alignment: 1)
        count = 0
        capacity = privateTailCapacity
        isPrivateTail = true
    }

    var spareCapacity: Int { capacity - count }

    /// Appends into spare capacity (private tail chunks only).
    func appendInPlace(_ bytes: UnsafeRawBufferPointer) {
        precondition(isPrivateTail && bytes.count <= spareCapacity)
        if let source = bytes.baseAddress, bytes.count > 0 {
            (base + count).copyMemory(from: source, byteCount: bytes.count)
        }
        count += bytes.count
    }

    deinit {
        base.deallocate()
    }

    public var bytes: [UInt8] { Array(pointer) }
}
