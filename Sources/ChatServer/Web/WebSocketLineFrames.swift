#if canImport(Glibc)
import Glibc
#endif
import HTTPCore

/// Server lines as WebSocket frames (the IRCv3 WebSocket transport): every
/// line in the bytes (ending in LF, a CR before it dropped; a last line
/// without LF counts too) becomes one unmasked frame without its line end.
/// Text frames must be UTF-8, so in text mode a line that is not has its
/// bad sequences replaced by U+FFFD; binary mode sends lines as they are.
///
/// Written with pointer loops and `memchr`, not collection algorithms on
/// slices: this runs for every line a WebSocket client gets, and the generic
/// versions dominated the server's profile in the WebSocket fan-out run.
///
/// Thread-safety: pure functions; any thread.
enum WebSocketLineFrames {
    /// The frames for every line in `bytes`, back to back.
    static func encode(_ bytes: UnsafeRawBufferPointer, binary: Bool) -> [UInt8] {
        var out: [UInt8] = []
        guard let base = bytes.baseAddress, bytes.count > 0 else { return out }
        out.reserveCapacity(bytes.count + 8)
        var start = 0
        while start < bytes.count {
            let newline = memchr(base + start, 10, bytes.count - start).map { $0 - UnsafeMutableRawPointer(mutating: base) } ?? bytes.count
            var end = newline
            if end > start && bytes[end - 1] == 13 { end -= 1 }
            let line = UnsafeRawBufferPointer(start: base + start, count: end - start)
            if binary || isUTF8(line) {
                append(line, binary: binary, to: &out)
            } else {
                var text = String(decoding: line, as: UTF8.self)  // invalid sequences become U+FFFD
                text.withUTF8 { append(UnsafeRawBufferPointer($0), binary: false, to: &out) }
            }
            start = newline + 1
        }
        return out
    }

    private static func append(_ line: UnsafeRawBufferPointer, binary: Bool, to out: inout [UInt8]) {
        var header: (UInt64, UInt64) = (0, 0)  // 16 bytes of stack for the at most 10-byte header
        withUnsafeMutableBytes(of: &header) { raw in
            let n = WebSocketFrameWriter.writeHeader(into: raw, opcode: binary ? .binary : .text, payload: line.count)
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<n]))
        }
        out.append(contentsOf: line)
    }

    static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < bytes.count {
            if bytes[i] >= 0x80 { return String(validating: bytes, as: UTF8.self) != nil }
            i += 1
        }
        return true
    }
}
