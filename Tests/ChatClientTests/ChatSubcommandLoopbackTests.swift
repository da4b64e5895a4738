@testable import ChatServer
import ChatClient
import CoreLoop
import Foundation
import XCTest

/// The `chat` executable's file and score subcommands against a real chatd
/// over loopback: upload, list and download a file byte-identical; list and
/// show matches; watch a match over the chat connection and over the UDP
/// stream, with the stream's statistics at the end.
final class ChatSubcommandLoopbackTests: XCTestCase {
    var server: TestDaemon!
    var dataDir = ""

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: ChatBinary.path) else {
            throw XCTSkip("the chat executable is not built next to the tests (\(ChatBinary.path))")
        }
        dataDir = NSTemporaryDirectory() + "chat-sub-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
        let storage = try TestDaemon.storage(account: "alice", password: "alice-password-1")
        let dir = dataDir
        server = try TestDaemon(storage: storage) {
            $0.dataDir = dir
            $0.scores.udpListen = "127.0.0.1:0"
        }
        server.start()
    }

    override func tearDown() {
        server?.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    var address: String { "127.0.0.1:\(server.port)" }

    func testUploadListAndDownloadAFile() throws {
        var content = ""
        for i in 0..<2_000 { content += "line \(i): the notes of the meeting ✓\n" }
        let path = dataDir + "/notes.txt"
        try content.write(toFile: path, atomically: true, encoding: .utf8)

        let up = try ChatBinary.run(["upload", "--server", address, "--nick", "alice", "--account", "alice",
                                     "--to", "#docs", "--json", path], environment: ["CHAT_PASSWORD": "alice-password-1"])
        XCTAssertEqual(up.status, 0, up.err)
        let stored = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(up.out.utf8)) as? [String: String], up.out)
        let id = try XCTUnwrap(stored["id"])
        XCTAssertEqual(stored["name"], "notes.txt")
        XCTAssertEqual(stored["size"], String(content.utf8.count))

        let list = try ChatBinary.run(["files", "--server", address, "--nick", "bob", "--json", "#docs"])
        XCTAssertEqual(list.status, 0, list.err)
        let rows = list.out.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
        XCTAssertEqual(rows.count, 1, list.out)
        XCTAssertEqual(rows.first?["id"], id)
        XCTAssertEqual(rows.first?["sha256"], SHA256.hex(of: Array(content.utf8)))
        XCTAssertEqual(rows.first?["uploader"], "alice")

        // A channel's file is for its members: without joining, the server refuses.
        let refused = try ChatBinary.run(["download", "--server", address, "--nick", "carol", id, "-o", dataDir + "/no.txt"])
        XCTAssertEqual(refused.status, 1, refused.err)
        XCTAssertTrue(refused.err.contains("NOT_ALLOWED"), refused.err)

        let out = dataDir + "/copy.txt"
        let down = try ChatBinary.run(["download", "--server", address, "--nick", "carol", "--join", "#docs", id, "-o", out])
        XCTAssertEqual(down.status, 0, down.err)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: out)), Data(content.utf8), "byte-identical")

        let missing = try ChatBinary.run(["download", "--server", address, "--nick", "dave", "999"])
        XCTAssertEqual(missing.status, 2, "not found: \(missing.err)")
    }

    func testUploadWithoutAPasswordIsBadUsageAndAWrongOneFailsLogIn() throws {
        let path = dataDir + "/a.txt"
        try "a\n".write(toFile: path, atomically: true, encoding: .utf8)
        let none = try ChatBinary.run(["upload", "--server", address, "--account", "alice", "--to", "#docs", path])
        XCTAssertEqual(none.status, 64, none.err)
        let wrong = try ChatBinary.run(["upload", "--server", address, "--account", "alice", "--to", "#docs", path],
                                       environment: ["CHAT_PASSWORD": "not-the-password"])
        XCTAssertEqual(wrong.status, 77, wrong.err)
    }

    func testListShowAndWatchAMatch() throws {
        server.submit(.create(home: "Home FC", away: "Away United"))
        server.submit(.events([ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0)]))

        let list = try ChatBinary.run(["scores", "list", "--server", address, "--nick", "fan", "--json"])
        XCTAssertEqual(list.status, 0, list.err)
        XCTAssertTrue(list.out.contains(#""teams":"Home FC - Away United""#), list.out)
        XCTAssertTrue(list.out.contains(#""status":"live""#), list.out)

        let show = try ChatBinary.run(["scores", "show", "1", "--server", address, "--nick", "fan"])
        XCTAssertEqual(show.status, 0, show.err)
        XCTAssertTrue(show.out.hasPrefix("Home FC 0–0 Away United, 0'"), show.out)
        XCTAssertTrue(show.out.contains("kickoff"), show.out)

        let unknown = try ChatBinary.run(["scores", "show", "77", "--server", address, "--nick", "fan"])
        XCTAssertEqual(unknown.status, 2, unknown.err)

        // Following: the events after the FOLLOW arrive, and the watch ends at full time.
        let watch = try ChatBinary(["scores", "watch", "1", "--until-full-time", "--duration", "60",
                                    "--server", address, "--nick", "watcher"])
        waitUntil("the watcher to follow match 1") { self.server.onLoop { $0.scores!.followerCount } == 1 }
        server.submit(.events([ScoreEventDraft(matchID: 1, type: .goal, minute: 23, team: .home, player: "N. Name"),
                        ScoreEventDraft(matchID: 1, type: .fullTime, minute: 90)]))
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        let lines = watch.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, watch.stdout)
        XCTAssertTrue(lines[0].hasPrefix("23' GOAL ") && lines[0].hasSuffix("(1–0)"), lines[0])
        XCTAssertTrue(lines[1].hasPrefix("90' FULL TIME "), lines[1])
        XCTAssertEqual(lines[2], "events: 2, last seq: 3")
    }

    func testWatchOverUDPPrintsEventsAndTheStreamsStatistics() throws {
        server.submit(.create(home: "Home FC", away: "Away United"))
        server.submit(.events([ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0)]))
        let watch = try ChatBinary(["scores", "watch", "1", "--udp", "--until-full-time", "--duration", "60",
                                    "--server", address, "--nick", "udpfan"])
        // The token was presented from the watcher's UDP socket: the stream is live.
        waitUntil("the UDP token to be presented") {
            self.server.onLoop { $0.scores!.udp!.subscriptions.byToken.values.contains { $0.address != nil } }
        }
        server.submit(.events((1...5).map { ScoreEventDraft(matchID: 1, type: .corner, minute: $0, team: .away) }
            + [ScoreEventDraft(matchID: 1, type: .fullTime, minute: 90)]))
        XCTAssertEqual(watch.wait(), 0, watch.stderr)
        let lines = watch.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 7, watch.stdout)
        XCTAssertTrue(lines[0].hasPrefix("1' CORNER Away United"), lines[0])
        XCTAssertTrue(lines[5].hasPrefix("90' FULL TIME"), lines[5])
        XCTAssertEqual(lines.last, "received=6 lost=0 duplicated=0 out-of-order=0 first=2 last=7")
    }

    func testWatchOverUDPWithoutAStreamIsRefused() throws {
        server.stop()
        let dir = dataDir
        server = try TestDaemon(storage: try ChatStorage()) { $0.dataDir = dir }
        server.start()
        server.submit(.create(home: "Home FC", away: "Away United"))
        let watch = try ChatBinary.run(["scores", "watch", "1", "--udp", "--duration", "30", "--server", address, "--nick", "fan"])
        XCTAssertEqual(watch.status, 1, watch.err)
        XCTAssertTrue(watch.err.contains("UNAVAILABLE"), watch.err)
    }
}
