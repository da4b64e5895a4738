@testable import ChatServer
import XCTest

final class ProtocolTests: XCTestCase {
    func testParsesTagsSourceCommandAndTrailing() throws {
        let m = try IRCMessage(parsing: "@id=123;+draft/x=a\\sb\\:c;flag :nick!u@h privmsg #chan :hello  world ")
        XCTAssertEqual(m.tags, [IRCTag("id", "123"), IRCTag("+draft/x", "a b;c"), IRCTag("flag", nil)])
        XCTAssertEqual(m.source, "nick!u@h")
        XCTAssertEqual(m.command, "PRIVMSG")
        XCTAssertEqual(m.params, ["#chan", "hello  world "])
    }

    func testParamsCollapseSpacesAndAcceptEmptyTrailing() throws {
        XCTAssertEqual(try IRCMessage(parsing: "USER  a   0 *  :").params, ["a", "0", "*", ""])
        XCTAssertEqual(try IRCMessage(parsing: "PING").params, [])
        XCTAssertEqual(try IRCMessage(parsing: "TOPIC #c ::)").params, ["#c", ":)"])
        XCTAssertEqual(try IRCMessage(parsing: "001 me :hi").command, "001")
    }

    func testFifteenthParameterTakesTheRestOfTheLine() throws {
        let m = try IRCMessage(parsing: "CMD 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16")
        XCTAssertEqual(m.params.count, 15)
        XCTAssertEqual(m.params.last, "15 16")
    }

    func testRejectsMalformedLines() {
        XCTAssertThrowsError(try IRCMessage(parsing: "")) { XCTAssertEqual($0 as? IRCParseError, .missingCommand) }
        XCTAssertThrowsError(try IRCMessage(parsing: ":src")) { XCTAssertEqual($0 as? IRCParseError, .missingCommand) }
        XCTAssertThrowsError(try IRCMessage(parsing: ": PRIVMSG x")) { XCTAssertEqual($0 as? IRCParseError, .emptySource) }
        XCTAssertThrowsError(try IRCMessage(parsing: "PRIV-MSG x")) { XCTAssertEqual($0 as? IRCParseError, .invalidCommand) }
        XCTAssertThrowsError(try IRCMessage(parsing: "12 x")) { XCTAssertEqual($0 as? IRCParseError, .invalidCommand) }
        XCTAssertThrowsError(try IRCMessage(parsing: "PRIVMSG x :a\u{0}b")) { XCTAssertEqual($0 as? IRCParseError, .forbiddenByte(0)) }
    }

    /// A tag whose key breaks the message-tags grammar is left out; the line stands.
    func testTagsWithMalformedKeysAreLeftOutAndTheLineKept() throws {
        let m = try IRCMessage(parsing: "@=x;+a_b=1;+é=2;+==;+/=1;+.=1;+;a/=1;/b=1;+ok=1;+example.com/fine;draft/x-y=3 PRIVMSG bob :hi")
        XCTAssertEqual(m.tags, [IRCTag("+ok", "1"), IRCTag("+example.com/fine", nil), IRCTag("draft/x-y", "3")])
        XCTAssertEqual(m.command, "PRIVMSG")
        XCTAssertEqual(m.params, ["bob", "hi"])
        for key in ["a", "+a", "A-1", "+vendor.tld/key", "x/y", "+a-b"] { XCTAssertTrue(IRCTag.isValidKey(Array(key.utf8)), key) }
        for key in ["", "+", "a_b", "+é", "a/", "/b", "+a/b/c", "a.b", "+.x/y/z", "v_x/k"] { XCTAssertFalse(IRCTag.isValidKey(Array(key.utf8)), key) }
    }

    func testTagEscapingRoundTripsEverySpecialCharacter() throws {
        let value = "semi;space back\\slash\rcr\nlf end"
        let m = IRCMessage(tags: [IRCTag("+k", value)], command: "TAGMSG", params: ["#c"])
        XCTAssertEqual(m.line, "@+k=semi\\:space\\sback\\\\slash\\rcr\\nlf\\send TAGMSG #c")
        XCTAssertEqual(try IRCMessage(parsing: m.line).tags, [IRCTag("+k", value)])
        // Unknown escapes drop the backslash; a trailing lone backslash is dropped.
        XCTAssertEqual(try IRCMessage(parsing: "@a=\\b\\ PING").tag("a"), "b")
    }

    func testSerializerUsesTrailingOnlyWhenNeeded() {
        XCTAssertEqual(IRCMessage(command: "NICK", params: ["bob"]).line, "NICK bob")
        XCTAssertEqual(IRCMessage(source: "s", command: "PRIVMSG", params: ["#c", "two words"]).line, ":s PRIVMSG #c :two words")
        XCTAssertEqual(IRCMessage(command: "TOPIC", params: ["#c", ""]).line, "TOPIC #c :")
        XCTAssertEqual(IRCMessage(command: "PRIVMSG", params: ["#c", ":-)"]).line, "PRIVMSG #c ::-)")
        XCTAssertEqual(IRCMessage(command: "PING", params: ["x"]).encoded().suffix(2), [13, 10])
        // PART's text is its reason: a bare PART names the channel plainly.
        XCTAssertEqual(IRCMessage(source: "s", command: "PART", params: ["#c"]).line, ":s PART #c")
        XCTAssertEqual(IRCMessage(source: "s", command: "PART", params: ["#c", "bye"]).line, ":s PART #c :bye")
    }

    /// Splits the input at every byte offset: the lines that come out must
    /// not depend on how the bytes were cut.
    func testFramerGivesTheSameLinesForInputSplitAtEveryOffset() {
        let input = Array("NICK a\r\nUSER a 0 * :A\nPRIVMSG #x :hi there\r\n\r\nPING :t\r\n".utf8)
        let expected = ["NICK a", "USER a 0 * :A", "PRIVMSG #x :hi there", "", "PING :t"]
        for cut in 0...input.count {
            var framer = LineFramer(maxLineBytes: 510)
            var pending: [UInt8] = []
            var lines: [String] = []
            for part in [Array(input[..<cut]), Array(input[cut...])] {
                pending += part
                pending.withUnsafeBytes { bytes in
                    var used = 0
                    while true {
                        let (frame, n) = framer.next(in: UnsafeRawBufferPointer(rebasing: bytes[used...]))
                        if frame == nil && n == 0 { break }
                        used += n
                        if case .line(let l)? = frame { lines.append(String(decoding: l, as: UTF8.self)) }
                    }
                    pending.removeFirst(used)
                }
            }
            XCTAssertEqual(lines, expected, "split at \(cut)")
            XCTAssertTrue(pending.isEmpty)
        }
    }

    func testFramerDropsOverlongLinesWithoutBufferingThem() {
        var framer = LineFramer(maxLineBytes: 10)
        let long = Array(repeating: UInt8(ascii: "x"), count: 50)
        var results: [String] = []
        long.withUnsafeBytes { bytes in
            let (frame, used) = framer.next(in: bytes)
            if case .tooLong? = frame { results.append("tooLong") }
            XCTAssertEqual(used, 50, "an overlong partial line is consumed, not kept")
        }
        Array("yyy\r\nok\r\n".utf8).withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let (frame, used) = framer.next(in: UnsafeRawBufferPointer(rebasing: bytes[offset...]))
                offset += used
                if case .line(let l)? = frame { results.append(String(decoding: l, as: UTF8.self)) }
                if used == 0 { break }
            }
        }
        XCTAssertEqual(results, ["tooLong", "ok"])
        // A complete line over the limit is reported too.
        var f2 = LineFramer(maxLineBytes: 4)
        Array("abcdefg\r\n".utf8).withUnsafeBytes { bytes in
            let (frame, used) = f2.next(in: bytes)
            guard case .tooLong? = frame else { return XCTFail("expected tooLong") }
            XCTAssertEqual(used, 9)
        }
    }

    func testCaseMappingAndMasks() {
        XCTAssertEqual(CaseMapping.fold("Nick[A]^"), "nick{a}~")
        // Already canonical, non-ASCII kept, long (not stored inline), empty.
        XCTAssertEqual(CaseMapping.fold("alice_{}|~-9"), "alice_{}|~-9")
        XCTAssertEqual(CaseMapping.fold("ÄBC@Ünï"), "Äbc@Ünï")
        XCTAssertEqual(CaseMapping.fold("#A-Very-Long-Channel-Name-[XYZ]"), "#a-very-long-channel-name-{xyz}")
        XCTAssertEqual(CaseMapping.fold(""), "")
        XCTAssertEqual(CaseMapping.fold("@AZ[\\]^_`az{|}~"), "@az{|}~_`az{|}~")
        XCTAssertTrue(CaseMapping.globMatch("*!*@127.0.0.*", "Bob!~b@127.0.0.1"))
        XCTAssertTrue(CaseMapping.globMatch("b?B*", "bob!x@y"))
        XCTAssertFalse(CaseMapping.globMatch("*!*@10.*", "bob!x@127.0.0.1"))
    }

    func testNameRules() {
        XCTAssertTrue(NameRules.isValidNick("alice_[1]", maxLength: 30))
        XCTAssertFalse(NameRules.isValidNick("1alice", maxLength: 30))
        XCTAssertFalse(NameRules.isValidNick("al ice", maxLength: 30))
        XCTAssertFalse(NameRules.isValidNick(String(repeating: "a", count: 31), maxLength: 30))
        XCTAssertTrue(NameRules.isValidChannel("#lobby", maxLength: 50))
        XCTAssertFalse(NameRules.isValidChannel("#a,b", maxLength: 50))
        XCTAssertFalse(NameRules.isValidChannel("lobby", maxLength: 50))
        XCTAssertEqual(NameRules.truncate("héllo", maxBytes: 2), "h")
    }

    func testServerTimeFormat() {
        XCTAssertEqual(ServerTime.format(millis: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(ServerTime.format(millis: 951_782_400_123), "2000-02-29T00:00:00.123Z")
        XCTAssertEqual(ServerTime.format(millis: 1_795_270_388_530), "2026-11-21T14:13:08.530Z")
    }

    func testASCIIHasPrefixIsTheCharacterRule() {
        for text in ["#chan", "#", "", "@#c", "+#c", "#\u{301}x", "@\u{301}#c", "é#", "\r\n", "\r", "\rx", "##"] {
            for c in ["#", "@", "+", "\r"] {
                let sub = Substring(text)
                XCTAssertEqual(NameRules.hasPrefix(sub, ascii: c.utf8.first!), sub.hasPrefix(c), "\(text.debugDescription) \(c)")
            }
        }
    }
}
