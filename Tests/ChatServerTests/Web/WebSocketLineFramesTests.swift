@testable import ChatServer
import CoreLoop
import HTTPCore
import XCTest

/// Server lines to WebSocket frames, and the cache that frames a broadcast
/// once for all WebSocket members.
final class WebSocketLineFramesTests: XCTestCase {
    /// Decodes `bytes` as unmasked server frames: (opcode, payload) of each.
    func frames(_ bytes: [UInt8]) -> [(WebSocketOpcode, [UInt8])] {
        let parser = WebSocketFrameParser(maxPayload: 1 << 20, maskRule: .forbidden)
        var out: [(WebSocketOpcode, [UInt8])] = []
        var offset = 0
        while offset < bytes.count {
            let outcome = bytes.withUnsafeBytes { parser.parse(UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            guard case .frame(let frame, let used) = outcome, frame.fin else {
                XCTFail("not a whole frame at \(offset): \(outcome)")
                return out
            }
            out.append((frame.opcode, frame.payload))
            offset += used
        }
        return out
    }

    func encode(_ bytes: [UInt8], binary: Bool = false) -> [UInt8] {
        bytes.withUnsafeBytes { WebSocketLineFrames.encode($0, binary: binary) }
    }

    func testEveryLineIsOneFrameWithoutItsLineEnd() {
        let decoded = frames(encode(Array(":a PRIVMSG #c :hi\r\nPING :x\n\r\nlast".utf8)))
        XCTAssertEqual(decoded.map(\.0), [.text, .text, .text, .text])
        XCTAssertEqual(decoded.map { String(decoding: $0.1, as: UTF8.self) }, [":a PRIVMSG #c :hi", "PING :x", "", "last"])
        XCTAssertEqual(encode([]), [], "nothing to send, no frame")
    }

    func testLongLinesTakeTheLongerHeader() {
        let line = [UInt8](repeating: UInt8(ascii: "x"), count: 300)
        let decoded = frames(encode(line + [13, 10]))
        XCTAssertEqual(decoded.count, 1)
        XCTAssertEqual(decoded.first?.1, line)
        XCTAssertEqual(encode(line + [13, 10]).count, 4 + 300)
    }

    func testTextModeReplacesBadUTF8AndBinaryModeKeepsIt() {
        let bad: [UInt8] = Array("caf".utf8) + [0xE9] + Array("\r\n".utf8)
        XCTAssertEqual(frames(encode(bad)).first?.1, Array("caf\u{FFFD}".utf8))
        let raw = frames(encode(bad, binary: true))
        XCTAssertEqual(raw.first?.0, .binary)
        XCTAssertEqual(raw.first?.1, Array("caf".utf8) + [0xE9])
        XCTAssertEqual(frames(encode(Array("héllo\r\n".utf8))).first?.1, Array("héllo".utf8), "valid UTF-8 kept")
    }

    func testTheCacheFramesABroadcastOncePerMode() {
        let cache = WebSocketFrameCache()
        let chunk = ByteChunk(":a PRIVMSG #c :hi\r\n")
        let first = cache.frames(for: chunk, binary: false)
        XCTAssertTrue(cache.frames(for: chunk, binary: false) === first, "the same chunk again: the same frames")
        XCTAssertEqual([cache.misses, cache.hits], [1, 1])
        XCTAssertEqual(frames(first.bytes).first?.0, .text)
        let binary = cache.frames(for: chunk, binary: true)
        XCTAssertEqual(frames(binary.bytes).first?.0, .binary, "binary members get binary frames")
        XCTAssertTrue(cache.frames(for: chunk, binary: false) === first, "text entry kept beside the binary one")
        // Same text, new chunk: framed anew (identity, not content, is the key).
        let other = cache.frames(for: ByteChunk(":b PRIVMSG #c :yo\r\n"), binary: false)
        XCTAssertEqual(frames(other.bytes).first?.1, Array(":b PRIVMSG #c :yo".utf8))
        XCTAssertEqual(cache.misses, 3)
    }
}
