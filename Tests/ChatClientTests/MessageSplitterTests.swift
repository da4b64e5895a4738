@testable import ChatClient
import ChatServer
import XCTest

/// Long input goes out as several messages, each fitting one relayed line.
final class MessageSplitterTests: XCTestCase {
    let source = "alice!~alice@127.0.0.1"

    func relayed(_ piece: String, target: String = "#chan", action: Bool = false) -> Int {
        let body = action ? "\u{1}ACTION \(piece)\u{1}" : piece
        return ":\(source) PRIVMSG \(target) :\(body)\r\n".utf8.count
    }

    func testEveryPieceFitsAndTheyJoinBackIntoTheText() {
        for text in [String(repeating: "word ", count: 300), String(repeating: "é", count: 700),
                     String(repeating: "x", count: 2_000), String(repeating: "👩‍👩‍👧", count: 120)] {
            let pieces = MessageSplitter.split(text, target: "#chan", sourceBytes: source.utf8.count)
            XCTAssertGreaterThan(pieces.count, 1)
            XCTAssertEqual(pieces.joined(), text, "nothing lost or added")
            XCTAssertTrue(pieces.allSatisfy { relayed($0) <= 512 }, "\(pieces.map { relayed($0) })")
            XCTAssertTrue(pieces.dropLast().allSatisfy { relayed($0) > 512 - 40 }, "pieces are nearly full")
        }
        let words = MessageSplitter.split(String(repeating: "word ", count: 300), target: "#chan", sourceBytes: source.utf8.count)
        XCTAssertTrue(words.dropLast().allSatisfy { $0.hasSuffix(" ") }, "cut after a space")
        XCTAssertEqual(MessageSplitter.split("hi", target: "#chan", sourceBytes: 20), ["hi"])
        let actions = MessageSplitter.split(String(repeating: "a", count: 1_000), target: "#chan",
                                            sourceBytes: source.utf8.count, action: true)
        XCTAssertTrue(actions.allSatisfy { relayed($0, action: true) <= 512 })
    }

    func testTheServersLineLengthAndOurSourceCount() {
        var isupport = ISupport()
        XCTAssertEqual(MessageSplitter.lineLength(isupport), 512)
        isupport.add(params: ["me", "LINELEN=1024", "are supported"])
        XCTAssertEqual(MessageSplitter.lineLength(isupport), 1_024)
        var decoder = MessageDecoder(nick: "alice")
        XCTAssertNil(decoder.selfSource)
        _ = decoder.decode(try! IRCMessage(parsing: ":alice!~alice@127.0.0.1 JOIN #chan"), nowMillis: 0)
        XCTAssertEqual(decoder.selfSource, "alice!~alice@127.0.0.1")
        _ = decoder.decode(try! IRCMessage(parsing: ":alice!~alice@127.0.0.1 NICK alicia"), nowMillis: 0)
        XCTAssertEqual(decoder.selfSource, "alicia!~alice@127.0.0.1", "follows a nick change")
        XCTAssertGreaterThanOrEqual(MessageSplitter.assumedSource(nick: "alice"), "alice!~abcdefghij@".utf8.count + 63)
    }
}
