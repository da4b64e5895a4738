import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The bytes waiting to be written to one socket: shared chunks plus how far
/// into the first one the kernel has taken.
///
/// Thread-safety: owned by one connection; loop thread only.
struct OutboundQueue: ~Copyable {
    /// Held, not simply referenced: ChunkRing.swift says why.
    private var chunks = ChunkRing()
    private var headOffset = 0    // bytes of the oldest chunk already written
    private(set) var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }

    mutating func append(_ chunk: ByteChunk) {
        guard chunk.count > 0 else { return }
        chunks.append(chunk)
        byteCount += chunk.count
    }

    /// Copies `bytes` to the end of the queue. Replies to this connection
    /// alone share a growing private block instead of a chunk each: a whole
    /// welcome burst is one allocation and one iovec. Shared (broadcast)
    /// chunks still go by reference through `append(_:)`.
    mutating func append(copying bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        let appended = chunks.withLast { tail in
            guard tail.isPrivateTail, tail.spareCapacity >= bytes.count else { return false }
            tail.appendInPlace(bytes)
            return true
        } ?? false
        if !appended {
            let tail = ByteChunk(privateTailCapacity: max(Self.privateBlockBytes, bytes.count))
            tail.appendInPlace(bytes)
            chunks.append(tail)
        }
        byteCount += bytes.count
    }

    /// A private block's size: a welcome burst (~1.4 KB) fits in one, and a
    /// block is freed as soon as the kernel has taken it.
    static let privateBlockBytes = 4000

    mutating func removeAll() {
        chunks.removeAll()
        headOffset = 0
        byteCount = 0
    }

    /// Drops everything but the unsent rest of the line the kernel has
    /// started taking (up to and including its LF), so a reader cut off
    /// still gets whole lines. With nothing started, drops everything.
    mutating func keepRestOfStartedLine() {
        guard headOffset > 0, !chunks.isEmpty else { return removeAll() }
        let head = chunks.region(0)
        var end = headOffset
        while end < head.count && head[end] != 0x0A { end += 1 }
        let rest = Array(head[headOffset..<min(end + 1, head.count)])
        removeAll()
        rest.withUnsafeBytes { append(copying: $0) }
    }

    /// Fills `iovecs` with up to its capacity of pending regions; returns how
    /// many, and how many bytes they hold.
    func gather(into iovecs: UnsafeMutableBufferPointer<iovec>) -> (count: Int, bytes: Int) {
        var n = 0, bytes = 0
        var index = 0
        while index < chunks.count && n < iovecs.count {
            let chunk = chunks.region(index)
            let skip = index == 0 ? headOffset : 0
            iovecs[n] = iovec(iov_base: UnsafeMutableRawPointer(mutating: chunk.baseAddress! + skip),
                              iov_len: chunk.count - skip)
            bytes += chunk.count - skip
            n += 1
            index += 1
        }
        return (n, bytes)
    }

    /// The first pending bytes as one contiguous region of at most `limit`
    /// bytes, for `SSL_write`, which takes one buffer: the head chunk itself
    /// when it alone fills the region (no copy), else the chunks copied into
    /// `scratch` (whose size bounds the region too). One `SSL_write` per
    /// gathered region keeps the batching `writev` gives plain sockets.
    func contiguousFront(limit: Int, scratch: UnsafeMutableRawBufferPointer) -> UnsafeRawBufferPointer {
        guard !chunks.isEmpty else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let limit = min(limit, scratch.count)
        let first = chunks.region(0)
        let firstRemaining = first.count - headOffset
        if firstRemaining >= limit || chunks.count == 1 {
            return UnsafeRawBufferPointer(rebasing: first[headOffset..<(headOffset + min(firstRemaining, max(limit, 1)))])
        }
        var filled = 0
        var index = 0
        while index < chunks.count && filled < limit {
            let chunk = chunks.region(index)
            let skip = index == 0 ? headOffset : 0
            let take = min(chunk.count - skip, limit - filled)
            (scratch.baseAddress! + filled).copyMemory(from: chunk.baseAddress! + skip, byteCount: take)
            filled += take
            index += 1
        }
        return UnsafeRawBufferPointer(rebasing: scratch[0..<filled])
    }

    /// The first pending chunks copied into `scratch` when they are several
    /// small ones (each at most `smallChunkBytes`), so that one plain `send`
    /// carries them; nil when a gather write is the better call (one chunk
    /// pending, or a large one at the front, or only one small one before a
    /// large one). Stops before the first large chunk and when `scratch` is
    /// full.
    ///
    /// Why copy at all: a fan-out member's queue is many ~150-byte lines, each
    /// its own iovec, and the kernel's per-segment cost in `sendmsg` (iovec
    /// import, one user copy per segment) was ~15 % of the loop's CPU;
    /// copying hot, shared lines here is cheaper (docs/BENCHMARKS.md, #14).
    func coalescedFront(scratch: UnsafeMutableRawBufferPointer, smallChunkBytes: Int) -> UnsafeRawBufferPointer? {
        guard chunks.count > 1, chunks.region(0).count - headOffset <= smallChunkBytes else { return nil }
        var filled = 0
        var copied = 0
        var index = 0
        while index < chunks.count {
            let chunk = chunks.region(index)
            let skip = index == 0 ? headOffset : 0
            let length = chunk.count - skip
            guard length <= smallChunkBytes, filled + length <= scratch.count else { break }
            (scratch.baseAddress! + filled).copyMemory(from: chunk.baseAddress! + skip, byteCount: length)
            filled += length
            copied += 1
            index += 1
        }
        guard copied > 1 else { return nil }
        return UnsafeRawBufferPointer(rebasing: scratch[0..<filled])
    }

    /// Drops `written` bytes from the front.
    mutating func consume(_ written: Int) {
        var left = written
        byteCount -= written
        while left > 0 {
            let remaining = chunks.region(0).count - headOffset
            if left >= remaining {
                left -= remaining
                chunks.removeFirst()
                headOffset = 0
            } else {
                headOffset += left
                left = 0
            }
        }
    }
}
