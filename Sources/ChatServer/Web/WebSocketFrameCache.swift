import CoreLoop

/// The last broadcast chunk, framed. A channel message reaches every member
/// as the same `ByteChunk` (`ClientTransport.send(_:)`); TCP members queue
/// that chunk itself, while each WebSocket member used to scan it for line
/// ends, check its UTF-8 and copy it into its own frame. With the cache the
/// first WebSocket member frames it and the others queue the framed chunk,
/// as TCP members do: the fan-out costs one framing, not one per member.
///
/// One entry per mode (text, binary). The source chunk is held, not just
/// its address, so a new chunk can never be mistaken for it; public chunks
/// are immutable (`ByteChunk`), so its frames stay right. Memory: at most
/// two lines and their frames.
///
/// Thread-safety: loop thread only (shared by the web listener's
/// WebSocket transports, all on the daemon's loop).
final class WebSocketFrameCache {
    private var text: (source: ByteChunk, framed: ByteChunk)?
    private var binary: (source: ByteChunk, framed: ByteChunk)?
    /// Chunks framed, and sends served from the cache (for tests).
    private(set) var misses = 0, hits = 0

    init() {}

    func frames(for chunk: ByteChunk, binary isBinary: Bool) -> ByteChunk {
        if let entry = isBinary ? binary : text, entry.source === chunk {
            hits += 1
            return entry.framed
        }
        misses += 1
        let framed = ByteChunk(WebSocketLineFrames.encode(chunk.pointer, binary: isBinary))
        if isBinary { binary = (chunk, framed) } else { text = (chunk, framed) }
        return framed
    }
}
