#if canImport(Glibc)
import Glibc
#endif

/// Immutable bytes that many connections may queue at once.
///
/// A broadcast encodes its line into one chunk and enqueues that same chunk to
/// every recipient: each queue holds a reference, nobody copies. The storage
/// never moves, so `writev` can point straight at it.
///
/// Thread-safety: immutable after init; may be shared across threads.
public final class ByteChunk {
    public let pointer: UnsafeRawBufferPointer

    public var count: Int { pointer.count }

    public init(_ bytes: UnsafeRawBufferPointer) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
        if bytes.count > 0 { storage.copyMemory(from: bytes) }
        pointer = UnsafeRawBufferPointer(rebasing: storage[0..<bytes.count])
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
    public init(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) {
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 1)
        let region = UnsafeMutableRawBufferPointer(rebasing: storage[0..<count])
        fill(region)
        pointer = UnsafeRawBufferPointer(region)
    }

    deinit {
        UnsafeMutableRawPointer(mutating: pointer.baseAddress!).deallocate()
    }

    public var bytes: [UInt8] { Array(pointer) }
}
