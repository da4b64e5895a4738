import ChatClient
import ChatServer
import Foundation
import XCTest

final class SmallPartsTests: XCTestCase {
    func testBackoffDoublesToTheCapAndResets() {
        var b = Backoff(initialMillis: 100, maximumMillis: 1000, jitter: 0)
        XCTAssertEqual((0..<6).map { _ in b.nextDelayMillis() }, [100, 200, 400, 800, 1000, 1000])
        b.reset()
        XCTAssertEqual(b.nextDelayMillis(), 100)
        var j = Backoff(initialMillis: 100, maximumMillis: 1000, jitter: 0.5)
        XCTAssertEqual(j.nextDelayMillis(random: { $0.upperBound }), 150)
    }

    func testIRCTime() {
        XCTAssertEqual(IRCTime.parse("1970-01-01T00:00:00.000Z"), 0)
        XCTAssertEqual(IRCTime.parse("2026-11-21T14:05:00.250Z"), 1_795_269_900_250)
        XCTAssertEqual(IRCTime.parse("2026-11-21T14:05:00Z"), 1_795_269_900_000)
        XCTAssertEqual(IRCTime.parse("2000-02-29T23:59:59.5Z"), 951_868_799_500)
        for bad in ["", "2026-13-01T00:00:00.000Z", "2026-11-21 14:05:00.000Z", "2026-11-21T14:05:00.000", "x026-11-21T14:05:00.000Z"] {
            XCTAssertNil(IRCTime.parse(bad), bad)
        }
    }

    func testSHA256KnownVectors() {
        XCTAssertEqual(SHA256.hex(of: [UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(of: Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex(of: [UInt8](repeating: 0x61, count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testExitCodesAreDistinctWhereScriptsNeedThem() {
        XCTAssertEqual(ClientFailure.cannotConnect("x").exitCode, 69)
        XCTAssertEqual(ClientFailure.loginFailed("x").exitCode, 77)
        XCTAssertEqual(ClientFailure.notFound("x").exitCode, 2)
        XCTAssertEqual(ClientFailure.refused("x").exitCode, 1)
    }

    func testSettingsWithPasswordMustBePrivate() throws {
        let dir = NSTemporaryDirectory() + "chat-settings-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/config.json"
        XCTAssertEqual(try ClientSettings.load(path: path), ClientSettings())  // missing: empty
        try Data(#"{"nick":"alice","account":"alice","password":"pw-12345678"}"#.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o644)
        XCTAssertThrowsError(try ClientSettings.load(path: path)) { error in
            guard case SettingsError.tooOpen = error else { return XCTFail("\(error)") }
        }
        chmod(path, 0o600)
        let s = try ClientSettings.load(path: path)
        XCTAssertEqual(s.nick, "alice")
        XCTAssertEqual(PasswordSource.password(for: "alice", settings: s, environment: [:], mayPrompt: false), "pw-12345678")
        XCTAssertEqual(PasswordSource.password(for: "alice", settings: s, environment: ["CHAT_PASSWORD": "from-env"], mayPrompt: false), "from-env")
        XCTAssertNil(PasswordSource.password(for: "alice", settings: ClientSettings(), environment: [:], mayPrompt: false))
        try Data("[1,2]".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try ClientSettings.load(path: path))
    }
}
