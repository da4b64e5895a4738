@testable import ChatServer
import Foundation
import XCTest

/// The pure parts of files over HTTP: Range, Basic credentials,
/// Content-Disposition names, media types, UTF-8 in pieces, tokens.
final class FileHostPartsTests: XCTestCase {
    func testByteRanges() {
        XCTAssertEqual(ByteRange(header: nil, size: 100), .whole)
        XCTAssertEqual(ByteRange(header: "bytes=0-9", size: 100), .part(first: 0, last: 9))
        XCTAssertEqual(ByteRange(header: "bytes=90-", size: 100), .part(first: 90, last: 99))
        XCTAssertEqual(ByteRange(header: "bytes=90-1000", size: 100), .part(first: 90, last: 99))
        XCTAssertEqual(ByteRange(header: "bytes=-10", size: 100), .part(first: 90, last: 99))
        XCTAssertEqual(ByteRange(header: "bytes=-1000", size: 100), .part(first: 0, last: 99))
        XCTAssertEqual(ByteRange(header: " Bytes=5-5 ", size: 100), .part(first: 5, last: 5))
        XCTAssertEqual(ByteRange(header: "bytes=100-", size: 100), .unsatisfiable)
        XCTAssertEqual(ByteRange(header: "bytes=-0", size: 100), .unsatisfiable)
        // Ignored (whole file): several ranges, other units, garbage, reversed, huge numbers.
        for header in ["bytes=0-1,5-6", "items=0-1", "bytes=abc", "bytes=9-3", "bytes=-", "bytes=99999999999999999999-"] {
            XCTAssertEqual(ByteRange(header: header, size: 100), .whole, header)
        }
    }

    func testBasicCredentials() {
        let header = "Basic " + Data("alice:pa:ss wörd".utf8).base64EncodedString()
        XCTAssertEqual(BasicCredentials(header: header), BasicCredentials(user: "alice", password: "pa:ss wörd"))
        XCTAssertNil(BasicCredentials(header: nil))
        XCTAssertNil(BasicCredentials(header: "Bearer abc"))
        XCTAssertNil(BasicCredentials(header: "Basic !!!"))
        XCTAssertNil(BasicCredentials(header: "Basic " + Data(":nouser".utf8).base64EncodedString()))
        XCTAssertNil(BasicCredentials(header: "Basic " + Data("nocolon".utf8).base64EncodedString()))
    }

    func testContentDispositionFilename() {
        XCTAssertEqual(HeaderText.dispositionFilename("attachment; filename=notes.txt"), "notes.txt")
        XCTAssertEqual(HeaderText.dispositionFilename("attachment; filename=\"my \\\"notes\\\".txt\""), "my \"notes\".txt")
        XCTAssertEqual(HeaderText.dispositionFilename("attachment; filename=\"a.txt\"; filename*=UTF-8''%C3%BCber.txt"), "über.txt")
        XCTAssertNil(HeaderText.dispositionFilename("attachment"))
        XCTAssertNil(HeaderText.dispositionFilename("attachment; filename*=UTF-8''%ZZ"))
    }

    func testMediaTypes() {
        XCTAssertEqual(MediaTypes.served(name: "a.txt", allowed: []).contentType, "text/plain; charset=utf-8")
        XCTAssertEqual(MediaTypes.served(name: "page.html", allowed: ["text/*"]).contentType, "text/plain; charset=utf-8")
        XCTAssertEqual(MediaTypes.served(name: "song.MP3", allowed: ["audio/*"]).contentType, "audio/mpeg")
        XCTAssertTrue(MediaTypes.served(name: "song.mp3", allowed: ["audio/*"]).inline)
        XCTAssertFalse(MediaTypes.served(name: "doc.pdf", allowed: ["application/pdf"]).inline)
        XCTAssertEqual(try MediaTypes.uploadType(forName: "clip.webm", allowed: ["video/*"]).get(), "video/webm")
        XCTAssertEqual(try MediaTypes.uploadType(forName: "notes", allowed: []).get(), nil)
        XCTAssertThrowsError(try MediaTypes.uploadType(forName: "song.mp3", allowed: ["video/*"]).get())
        XCTAssertTrue(ConfigLoader.isMediaTypePattern("audio/*"))
        XCTAssertTrue(ConfigLoader.isMediaTypePattern("application/vnd.foo+json"))
        XCTAssertFalse(ConfigLoader.isMediaTypePattern("*/*"))
        XCTAssertFalse(ConfigLoader.isMediaTypePattern("audio"))
        XCTAssertFalse(ConfigLoader.isMediaTypePattern("Audio/MP3"))
    }

    func testUTF8StreamAgreesWithTextContentAtEverySplit() {
        let samples: [[UInt8]] = [
            Array("plain ascii".utf8), Array("ünïcödé € 𝄞 end".utf8), [0xC3], [0xE2, 0x82], [0x61, 0x00, 0x62],
            [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE0, 0x80, 0x80], [0xFF], Array("ok 𝄞".utf8) + [0x80],
        ]
        for sample in samples {
            let expected = TextContent.isText(sample)
            for split in 0...sample.count {
                for second in split...sample.count {
                    var stream = UTF8Stream()
                    stream.update(sample[0..<split])
                    stream.update(sample[split..<second])
                    stream.update(sample[second...])
                    XCTAssertEqual(stream.finish(), expected, "\(sample) split at \(split), \(second)")
                }
            }
        }
    }

    func testFileTokensLapseAndDieWithTheirConnection() {
        let tokens = FileTokens()
        let a = tokens.issue(clientID: 1, account: "alice", now: 0)
        XCTAssertEqual(a.token.count, 32)
        XCTAssertEqual(tokens.grant(a.token, now: 1)?.account, "alice")
        XCTAssertNil(tokens.grant(a.token, now: UInt64(FileTokens.lifetimeSeconds) * 1_000_000_000))
        let b = tokens.issue(clientID: 1, account: "alice", now: 0)
        tokens.revoke(clientID: 1)
        XCTAssertNil(tokens.grant(b.token, now: 1))
        // At most perClient per connection: the oldest goes.
        let many = (0..<(FileTokens.perClient + 2)).map { _ in tokens.issue(clientID: 2, account: "bob", now: 0) }
        XCTAssertEqual(tokens.count, FileTokens.perClient)
        XCTAssertNil(tokens.grant(many[0].token, now: 1))
        XCTAssertNotNil(tokens.grant(many.last!.token, now: 1))
    }

    func testUploadSpoolWritesChecksAndIsAdopted() throws {
        let dir = FileTestSupport.dataDir() + "/files"
        let store = FileStore(directory: dir)
        let text = Array("über spool\n".utf8)
        let spool = try UploadSpool(store: store, maxBytes: 100, checkText: true)
        try spool.append(Array(text[0..<2]))
        try spool.append(Array(text[2...]))
        let sha = try spool.finish(expectedSize: text.count)
        XCTAssertEqual(sha, SHA256.hex(of: text))
        try store.adopt(temp: spool.path, sha256: sha)
        XCTAssertEqual(try store.read(sha256: sha), text)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp"), [])

        let binary = try UploadSpool(store: store, maxBytes: 100, checkText: true)
        try binary.append([0x61, 0x00])
        XCTAssertThrowsError(try binary.finish(expectedSize: nil)) { XCTAssertEqual(($0 as? FileFailure)?.code, .notText) }
        let large = try UploadSpool(store: store, maxBytes: 3, checkText: false)
        XCTAssertThrowsError(try large.append([1, 2, 3, 4])) { XCTAssertEqual(($0 as? FileFailure)?.code, .tooLarge) }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/tmp"), [])
    }

    func testFileTokenCommandNeedsAnAccountAndDiesOnQuit() throws {
        let net = FileTestSupport.net()
        let guest = net.user("guest")
        guest.send("FILE TOKEN")
        XCTAssertTrue(guest.lines().contains { $0.contains("FAIL FILE NEED_ACCOUNT") })
        let alice = FileTestSupport.account(net, "alice")
        alice.send("FILE TOKEN")
        let line = try XCTUnwrap(alice.lines().first { $0.contains(" FILE TOKEN ") })
        let parts = line.split(separator: " ")
        XCTAssertEqual(parts.count, 5, line)
        let token = String(parts[3])
        XCTAssertEqual(parts[4], Substring(String(FileTokens.lifetimeSeconds)))
        let grant = try XCTUnwrap(net.server.files.tokens.grant(token, now: net.server.clock.monotonicNanos))
        XCTAssertEqual(grant.account, "alice")
        alice.send("QUIT")
        XCTAssertNil(net.server.files.tokens.grant(token, now: net.server.clock.monotonicNanos))
    }
}
