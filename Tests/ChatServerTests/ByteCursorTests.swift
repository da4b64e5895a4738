@testable import ChatServer
import XCTest

/// `ByteCursor` writes what the `Array`-appending encoders wrote.
final class ByteCursorTests: XCTestCase {
    private func written(_ body: (inout ByteCursor) -> Void) -> String {
        let bytes = [UInt8](unsafeUninitializedCapacity: 256) { buffer, count in
            var cursor = ByteCursor(buffer.baseAddress!)
            body(&cursor)
            count = cursor.count
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func testDecimalsAreWhatStringSpells() {
        for n in [0, 7, 10, 99, 100, 1234, -1, -10, Int.max, Int.min] {
            XCTAssertEqual(written { $0.putDecimal(n) }, String(n))
        }
    }

    func testOneLineTextLosesLineBreaksAndNULAndTheRestIsCopied() {
        XCTAssertEqual(written { $0.putOneLine("a\rb\nc\u{0}d é") }, "a b c d é")
        XCTAssertEqual(written { c in
            c.put(Array("@time=x ".utf8)); c.put(UInt8(ascii: ":")); c.put("srv 251"); c.put([]); c.put("\r\n")
        }, "@time=x :srv 251\r\n")
    }

    func testLusersWithAPrefixAndAnUncleanNickIsTheMessagePath() {
        let l = LusersReply(users: 3, invisible: 1, operators: 0, unknown: 2, channels: 1, peak: 9)
        var cursorOut: [UInt8] = Array("x".utf8)
        l.write(source: "test.server", nick: "al\rice", prefix: Array("@time=t ".utf8), into: &cursorOut)
        let text = String(decoding: cursorOut, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("x@time=t :test.server 251 al ice :There are 2 users and 1 invisible on 1 servers\r\n"), text)
        XCTAssertEqual(text.components(separatedBy: "\r\n").filter { $0.hasPrefix("@time=t :test.server ") || $0.hasPrefix("x@time=t") }.count, 7)
        XCTAssertTrue(text.hasSuffix("@time=t :test.server 266 al ice 3 9 :Current global users 3, max 9\r\n"), text)
    }
}
