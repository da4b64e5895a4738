@testable import ChatServer
import Foundation
import XCTest

/// FILE through the in-memory transport: every FAIL code, the share
/// notice, downloads, lists, deletes and private shares.
final class FileCommandTests: XCTestCase {
    typealias S = FileTestSupport
    let text = Array("hello, files\nsecond line: ünïcödé\n".utf8)

    func testUploadToChannelNotifiesMembersAndTheyDownloadTheSameBytes() throws {
        let net = S.net()
        let alice = S.account(net, "alice")
        let bob = net.user("bob", caps: ["message-tags"])
        for u in [alice, bob] { u.send("JOIN #room") }
        _ = alice.lines(); _ = bob.lines()
        let out = S.upload(alice, to: "#room", text)
        let id = try XCTUnwrap(S.storedID(out), "\(out)")
        XCTAssertTrue(out.contains(":test.server FILE STORED \(id) notes.txt \(text.count) \(S.sha(text))"), "\(out)")
        let notice = try XCTUnwrap(bob.lines().first)
        XCTAssertTrue(notice.hasPrefix("@"), notice)
        XCTAssertTrue(notice.contains("chatd/file=\(id)"), notice)
        XCTAssertTrue(notice.hasSuffix("PRIVMSG #room :alice shared notes.txt (\(text.count) B, sha256 \(S.sha(text).prefix(8))…) — FILE GET \(id)"), notice)
        bob.send("FILE GET \(id)")
        let got = bob.plainLines()
        XCTAssertEqual(got.first, ":test.server FILE BEGIN \(id) notes.txt \(text.count) \(S.sha(text))")
        XCTAssertEqual(S.downloaded(got, id: id), text)
        // The notice is in the channel's history.
        net.server.history?.flush()
        let carol = net.user("carol")
        carol.send("JOIN #room")
        XCTAssertTrue(carol.plainLines().contains { $0.contains("alice shared notes.txt") && $0.contains("FILE GET \(id)") })
        XCTAssertEqual(net.server.files.storedCount, 1)
        XCTAssertEqual(net.server.files.storedBytes, text.count)
    }

    func testAMultiChunkFileRoundTrips() throws {
        let net = S.net()
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let big = (0..<20_000).flatMap { Array("line \($0) of a longer file\n".utf8) }
        let out = S.upload(alice, to: "#room", name: "big.txt", big)
        let id = try XCTUnwrap(S.storedID(out), "\(out.suffix(3))")
        alice.send("FILE GET \(id)")
        XCTAssertEqual(S.downloaded(alice.plainLines(), id: id), big)
    }

    func testSameContentIsStoredOnce() throws {
        let dir = S.dataDir()
        let net = S.net { $0.dataDir = dir }
        let alice = S.account(net, "alice")
        alice.send("JOIN #a")
        alice.send("JOIN #b")
        _ = alice.lines()
        XCTAssertNotNil(S.storedID(S.upload(alice, to: "#a", text)))
        XCTAssertNotNil(S.storedID(S.upload(alice, to: "#b", name: "again.txt", text)))
        let blobs = try FileManager.default.contentsOfDirectory(atPath: dir + "/files").filter { $0 != "tmp" }
        XCTAssertEqual(blobs, [S.sha(text)])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/files/tmp"), [])
    }

    // MARK: Every FAIL code

    func testNeedAccount() {
        let net = S.net()
        let guest = net.user("guest")
        guest.send("JOIN #room")
        _ = guest.lines()
        guest.send("FILE UPLOAD #room a.txt 3 \(S.sha([1, 2, 3]))")
        XCTAssertEqual(guest.plainLines(), [":test.server FAIL FILE NEED_ACCOUNT :Log in to an account to share files"])
        // With requireAccount off, a guest may upload.
        let open = S.net { $0.files.requireAccount = false }
        let g = open.user("guest")
        g.send("JOIN #room")
        _ = g.lines()
        XCTAssertNotNil(S.storedID(S.upload(g, to: "#room", text)))
    }

    func testNoSuchTargetAndNotOnChannel() {
        let net = S.net()
        let alice = S.account(net, "alice")
        let bob = net.user("bob")
        bob.send("JOIN #bobs")
        _ = bob.lines()
        alice.send("FILE UPLOAD #nowhere a.txt 3 \(S.sha([1]))")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE NO_SUCH_TARGET #nowhere :No such channel"])
        alice.send("FILE UPLOAD nobody a.txt 3 \(S.sha([1]))")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE NO_SUCH_TARGET nobody :No such nick, channel or account"])
        alice.send("FILE UPLOAD #bobs a.txt 3 \(S.sha([1]))")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE NOT_ON_CHANNEL #bobs :You are not on that channel"])
        alice.send("FILE LIST #bobs")
        XCTAssertEqual(alice.codes(), ["FAIL"])
    }

    func testTooLargeAndBadName() {
        let net = S.net { $0.files.maxBytes = 100 }
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        alice.send("FILE UPLOAD #room a.txt 101 \(S.sha([1]))")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE TOO_LARGE 101 :Files may be at most 100 bytes"])
        for name in ["../etc/passwd", "a/b", "a\\b", "bell\u{07}", "..", String(repeating: "x", count: 256)] {
            alice.send("FILE UPLOAD #room \(name) 5 \(S.sha([1]))")
            XCTAssertEqual(alice.plainLines().first?.contains("FAIL FILE BAD_NAME"), true, name)
        }
        XCTAssertTrue(net.server.isupportLines().joined().contains("FILES=100"))
    }

    func testQuotaExceeded() {
        let net = S.net { $0.files.quotaBytes = 50 }
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let thirty = Array(String(repeating: "x", count: 30).utf8)
        XCTAssertNotNil(S.storedID(S.upload(alice, to: "#room", thirty)))
        alice.send("FILE UPLOAD #room b.txt 30 \(S.sha(thirty))")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE QUOTA_EXCEEDED :This would take you past your quota of 50 bytes (30 used)"])
    }

    func testNotTextHashMismatchAndSizeMismatch() {
        let net = S.net()
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let nul: [UInt8] = Array("a\u{0}b".utf8)
        XCTAssertTrue(S.upload(alice, to: "#room", nul).contains { $0.contains("FAIL FILE NOT_TEXT") })
        let latin1: [UInt8] = [0x63, 0x61, 0x66, 0xE9]
        XCTAssertTrue(S.upload(alice, to: "#room", latin1).contains { $0.contains("FAIL FILE NOT_TEXT") })
        XCTAssertTrue(S.upload(alice, to: "#room", text, sha: S.sha([1])).contains { $0.contains("FAIL FILE HASH_MISMATCH") })
        let short = S.upload(alice, to: "#room", text, size: text.count + 1)
        XCTAssertTrue(short.contains { $0.contains("FAIL FILE SIZE_MISMATCH") && $0.contains("announced \(text.count + 1)") }, "\(short)")
        let long = S.upload(alice, to: "#room", text, size: text.count - 1)
        XCTAssertTrue(long.contains { $0.contains("FAIL FILE SIZE_MISMATCH") }, "\(long)")
        XCTAssertEqual(net.server.files.storedCount, 0)
        XCTAssertTrue(net.server.files.uploads.isEmpty, "failed uploads are dropped")
    }

    func testBadChunkUnknownUploadAndAbort() {
        let net = S.net()
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        alice.send("FILE CHUNK u999 :aGk=")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE UNKNOWN_UPLOAD u999 :No such upload in progress"])
        alice.send("FILE UPLOAD #room a.txt 10 \(S.sha([1]))")
        let id = String(alice.plainLines()[0].split(separator: " ")[3])
        alice.send("FILE CHUNK \(id) :not*base64")
        XCTAssertEqual(alice.plainLines().first?.hasPrefix(":test.server FAIL FILE BAD_CHUNK \(id) :"), true)
        alice.send("FILE END \(id)")
        XCTAssertEqual(alice.plainLines().first?.contains("FAIL FILE UNKNOWN_UPLOAD"), true, "a bad chunk drops the upload")
        alice.send("FILE UPLOAD #room a.txt 10 \(S.sha([1]))")
        let second = String(alice.plainLines()[0].split(separator: " ")[3])
        alice.send("FILE ABORT \(second)")
        XCTAssertEqual(alice.plainLines(), [":test.server FILE ABORTED \(second)"])
        alice.send("FILE END \(second)")
        XCTAssertEqual(alice.codes(), ["FAIL"])
        alice.send("FILE FROB x")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE INVALID_PARAMS FROB :Unknown FILE subcommand"])
        alice.send("FILE")
        XCTAssertEqual(alice.plainLines().first?.hasPrefix(":test.server FAIL FILE INVALID_PARAMS :FILE needs a subcommand"), true)
        alice.send("FILE UPLOAD #room empty.txt 0 \(S.sha([]))")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE INVALID_PARAMS 0 :The file is empty"], "as over HTTP")
        for loose in ["====", "QU=D", "QR==", "QUJD===="] {
            alice.send("FILE UPLOAD #room a.txt 10 \(S.sha([1]))")
            let upload = String(alice.plainLines()[0].split(separator: " ")[3])
            alice.send("FILE CHUNK \(upload) :\(loose)")
            XCTAssertEqual(alice.plainLines().first?.hasPrefix(":test.server FAIL FILE BAD_CHUNK \(upload) :"), true, "\(loose) is not strict base64")
        }
    }

    func testStrictBase64() {
        for length in 0..<12 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
            XCTAssertEqual(Base64.decodeStrict(Array(Base64.encode(bytes).utf8)), bytes, "length \(length)")
        }
        XCTAssertEqual(Base64.decodeStrict(Array("QUI=".utf8)), Array("AB".utf8))
        XCTAssertEqual(Base64.decodeStrict(Array("+/+/".utf8)), [0xFB, 0xFF, 0xBF])
        for bad in ["====", "QU=D", "QR==", "QUJ=", "QUJD====", "QUJ", "Q UJ", "QUJD\n", "QUJD=", "=QUJ", "Q===", "-_-_"] {
            XCTAssertNil(Base64.decodeStrict(Array(bad.utf8)), bad.debugDescription)
        }
    }

    func testTooManyUploads() {
        let net = S.net()
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        for _ in 0..<2 { alice.send("FILE UPLOAD #room a.txt 10 \(S.sha([1]))") }
        XCTAssertEqual(alice.plainLines().count, 2)
        alice.send("FILE UPLOAD #room a.txt 10 \(S.sha([1]))")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE TOO_MANY_UPLOADS :At most 2 uploads at once per connection"])
    }

    func testNoSuchFileAndNotAllowed() throws {
        let net = S.net()
        let alice = S.account(net, "alice")
        let bob = net.user("bob")
        alice.send("JOIN #room")
        _ = alice.lines()
        let id = try XCTUnwrap(S.storedID(S.upload(alice, to: "#room", text)))
        bob.send("FILE GET 999")
        XCTAssertEqual(bob.plainLines(), [":test.server FAIL FILE NO_SUCH_FILE 999 :No such file"])
        bob.send("FILE GET \(id)")
        XCTAssertEqual(bob.plainLines().first?.hasPrefix(":test.server FAIL FILE NOT_ALLOWED \(id) :"), true)
        bob.send("JOIN #room")
        _ = bob.lines()
        bob.send("FILE GET \(id)")
        XCTAssertEqual(S.downloaded(bob.plainLines(), id: id), text, "a member may read it")
        bob.send("FILE DELETE \(id)")
        XCTAssertEqual(bob.plainLines().first?.hasPrefix(":test.server FAIL FILE NOT_ALLOWED \(id) :"), true)
        bob.send("PART #room")
        _ = bob.lines()
        bob.send("FILE GET \(id)")
        XCTAssertEqual(bob.codes(), ["FAIL"], "a former member may not")
    }

    func testStorageFailedLeavesNothingAndTheServerRuns() throws {
        let dir = S.dataDir()
        // `files` is a plain file: every write under it fails (ENOTDIR), even as root.
        FileManager.default.createFile(atPath: dir + "/files", contents: Data("x".utf8))
        let net = S.net { $0.dataDir = dir }
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let out = S.upload(alice, to: "#room", text)
        XCTAssertTrue(out.contains { $0.contains("FAIL FILE STORAGE_FAILED") }, "\(out)")
        XCTAssertEqual(try net.storage!.allFiles(), [])
        XCTAssertEqual(net.server.files.storedCount, 0)
        alice.send("PRIVMSG #room :still here")
        alice.send("PING x")
        XCTAssertEqual(alice.codes(), ["PONG"])
    }

    func testUploadLinesDoNotDrainFloodControlButOtherFileLinesDo() throws {
        let net = S.net { $0.limits.floodBurst = 5; $0.limits.floodLinesPerSecond = 1 }
        let alice = S.account(net, "alice")
        net.clock.advance(seconds: 10)
        alice.send("JOIN #room")
        _ = alice.lines()
        // Dozens of chunks with the clock standing still: none is held back.
        let big = Array(String(repeating: "abcdefghij", count: 2_000).utf8)
        XCTAssertNotNil(S.storedID(S.upload(alice, to: "#room", big)))
        XCTAssertFalse(alice.transport.paused)
        for _ in 0..<6 { alice.send("FILE GET 999") }
        XCTAssertTrue(alice.transport.paused, "other FILE lines cost tokens like any line")
    }

    func testTooManyDownloads() throws {
        let net = S.net()
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let id = try XCTUnwrap(S.storedID(S.upload(alice, to: "#room", text)))
        net.workers.deferred = true
        for _ in 0..<DownloadPump.maxPerClient { alice.send("FILE GET \(id)") }
        XCTAssertEqual(alice.lines(), [])
        alice.send("FILE GET \(id)")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE TOO_MANY_DOWNLOADS \(id) :At most \(DownloadPump.maxPerClient) downloads at once"])
        net.workers.runPending()
        let lines = alice.plainLines()
        XCTAssertEqual(lines.filter { $0.contains(" FILE DONE \(id)") }.count, DownloadPump.maxPerClient)
        XCTAssertEqual(S.downloaded(lines, id: id).map { $0.count }, text.count * DownloadPump.maxPerClient,
                       "the downloads follow one another")
    }

    // MARK: Delete, list, private shares

    func testDeleteByUploaderChannelOperatorAndServerOperator() throws {
        let net = S.net()
        let alice = S.account(net, "alice")
        let bob = S.account(net, "bob")
        bob.send("JOIN #room")   // bob creates it: channel operator
        alice.send("JOIN #room")
        _ = alice.lines(); _ = bob.lines()
        let a = try XCTUnwrap(S.storedID(S.upload(alice, to: "#room", text)))
        let b = try XCTUnwrap(S.storedID(S.upload(alice, to: "#room", name: "b.txt", Array("other".utf8))))
        _ = bob.lines()
        alice.send("FILE DELETE \(a)")
        XCTAssertEqual(alice.plainLines(), [":test.server FILE DELETED \(a)"])
        bob.send("FILE DELETE \(b)")
        XCTAssertEqual(bob.plainLines(), [":test.server FILE DELETED \(b)"])
        alice.send("FILE GET \(a)")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL FILE NO_SUCH_FILE \(a) :No such file"])
        let c = try XCTUnwrap(S.storedID(S.upload(alice, to: "#room", name: "c.txt", Array("third".utf8))))
        let oper = net.user("oper")
        oper.send("OPER root sesame")
        _ = oper.lines()
        oper.send("FILE DELETE \(c)")
        XCTAssertEqual(oper.plainLines(), [":test.server FILE DELETED \(c)"])
        XCTAssertEqual(net.server.files.storedCount, 0)
        XCTAssertEqual(net.server.files.usage["alice"], 0)
    }

    func testListChannelAndPrivate() throws {
        let net = S.net()
        let alice = S.account(net, "alice")
        let bob = S.account(net, "bob")
        alice.send("JOIN #room")
        _ = alice.lines()
        let a = try XCTUnwrap(S.storedID(S.upload(alice, to: "#room", text)))
        let p = try XCTUnwrap(S.storedID(S.upload(alice, to: "bob", name: "for-bob.txt", Array("psst".utf8))))
        alice.send("FILE LIST #room")
        let lines = alice.plainLines()
        XCTAssertEqual(lines.count, 2)
        XCTAssertTrue(lines[0].hasPrefix(":test.server FILE ENTRY \(a) notes.txt \(text.count) \(S.sha(text)) alice "), lines[0])
        XCTAssertEqual(lines[1], ":test.server FILE END LIST")
        _ = bob.lines()
        bob.send("FILE LIST alice")
        let privately = bob.plainLines()
        XCTAssertEqual(privately.count, 2)
        XCTAssertTrue(privately[0].contains("FILE ENTRY \(p) for-bob.txt 4 "), "\(privately)")
        let carol = net.user("carol")
        carol.send("FILE GET \(p)")
        XCTAssertEqual(carol.codes(), ["FAIL"], "a third person may not read a private share")
    }

    func testPrivateShareToOnlineAndOfflineAccounts() throws {
        let net = S.net()
        let alice = S.account(net, "alice")
        let dana = S.account(net, "dana")
        dana.send("QUIT :later")
        let bob = S.account(net, "bob")
        _ = bob.lines()
        let id = try XCTUnwrap(S.storedID(S.upload(alice, to: "bob", text)))
        XCTAssertTrue(bob.plainLines().contains { $0.hasPrefix(":alice!") && $0.contains("PRIVMSG bob :alice shared notes.txt") && $0.hasSuffix("FILE GET \(id)") })
        bob.send("FILE GET \(id)")
        XCTAssertEqual(S.downloaded(bob.plainLines(), id: id), text)
        // dana is offline: the share waits for her next log-in.
        let later = try XCTUnwrap(S.storedID(S.upload(alice, to: "dana", name: "for-dana.txt", text)))
        let dana2 = net.connect()
        dana2.send("PASS dana:password-dana")
        dana2.send("NICK dana")
        dana2.send("USER dana 0 * :Dana")
        XCTAssertTrue(dana2.plainLines().contains { $0.contains("PRIVMSG dana :alice shared for-dana.txt") && $0.hasSuffix("FILE GET \(later)") })
        dana2.send("FILE GET \(later)")
        XCTAssertEqual(S.downloaded(dana2.plainLines(), id: later), text)
        // Delivered once: the next log-in hears nothing.
        dana2.send("QUIT")
        let dana3 = net.connect()
        dana3.send("PASS dana:password-dana")
        dana3.send("NICK dana")
        dana3.send("USER dana 0 * :Dana")
        XCTAssertFalse(dana3.plainLines().contains { $0.contains("shared") })
    }

    func testIdleUploadIsDropped() {
        let net = S.net { $0.files.uploadIdleSeconds = 5 }
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        alice.send("FILE UPLOAD #room a.txt 10 \(S.sha([1]))")
        let id = String(alice.plainLines()[0].split(separator: " ")[3])
        net.clock.advance(seconds: 3)
        net.server.tick()
        alice.send("FILE CHUNK \(id) :aGk=")
        XCTAssertEqual(alice.plainLines(), [])
        net.clock.advance(seconds: 6)
        net.server.tick()
        XCTAssertEqual(alice.plainLines().filter { !$0.hasPrefix("PING") && !$0.contains(" PING ") },
                       [":test.server FAIL FILE UNKNOWN_UPLOAD \(id) :Upload dropped: no chunk for 5 seconds"])
        XCTAssertTrue(net.server.files.uploads.isEmpty)
    }

    func testQuitDropsUploads() {
        let net = S.net()
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        alice.send("FILE UPLOAD #room a.txt 10 \(S.sha([1]))")
        XCTAssertFalse(net.server.files.uploads.isEmpty)
        alice.send("QUIT")
        XCTAssertTrue(net.server.files.uploads.isEmpty)
    }

    func testHelpCoversFile() {
        let net = S.net()
        let u = net.user("u")
        u.send("HELP FILE")
        XCTAssertEqual(u.codes().first, "704")
    }
}
