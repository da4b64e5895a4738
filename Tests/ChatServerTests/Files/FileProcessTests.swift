@testable import ChatServer
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real chatd process killed with SIGKILL around uploads.
final class FileProcessTests: XCTestCase {
    let chatds = ChatdProcesses()

    override func tearDown() { chatds.removeAll() }

    func blobs(in dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/files")) ?? []).filter { $0 != "tmp" }
    }

    func tempFiles(in dir: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: dir + "/files/tmp")) ?? []
    }

    func testKill9RightAfterStoredLosesNothing() throws {
        let dir = chatds.newDataDir()
        let first = try chatds.start(dataDir: dir)
        let alice = try first.connect()
        try alice.registerAccount("alice")
        try alice.line("JOIN #keep")
        let content = FileLoopbackTests.text(bytes: 100_000)
        let id = try alice.uploadFile(to: "#keep", name: "kept.txt", content)
        ChatdProcesses.killAndReap(first)

        let second = try chatds.start(dataDir: dir)
        let again = try second.connect()
        try again.line("PASS :alice:password-alice")
        try again.register("alice")
        try again.line("JOIN #keep")
        try again.waitFor("join") { $0.contains(" 366 ") }
        XCTAssertEqual(try again.downloadFile(id), content)
        try again.line("FILE LIST #keep")
        try again.waitFor("the entry") { $0.contains("FILE ENTRY \(id) kept.txt 100000 ") }
    }

    func testKill9MidUploadLeavesNoFileAndNoRow() throws {
        let dir = chatds.newDataDir()
        let first = try chatds.start(dataDir: dir)
        let alice = try first.connect()
        try alice.registerAccount("alice")
        try alice.line("JOIN #keep")
        let content = FileLoopbackTests.text(bytes: 300_000)
        _ = try alice.uploadFile(to: "#keep", name: "half.txt", content, stopAfterChunks: 400)
        try alice.line("PING :chunks-in")
        try alice.waitFor("the chunks were read") { $0.contains("chunks-in") }
        ChatdProcesses.killAndReap(first)
        XCTAssertEqual(blobs(in: dir), [])
        XCTAssertEqual(tempFiles(in: dir), [])
        let storage = try ChatStorage(path: dir + "/chatd.sqlite")
        XCTAssertEqual(try storage.allFiles(), [])
        try storage.close()
        // And the server comes back and works.
        let second = try chatds.start(dataDir: dir)
        let again = try second.connect()
        try again.register("bob")
    }

    func testStartupSweepRemovesWhatACrashLeftBetweenRenameAndRow() throws {
        let dir = chatds.newDataDir()
        try FileManager.default.createDirectory(atPath: dir + "/files/tmp", withIntermediateDirectories: true)
        let orphan = String(repeating: "ab", count: 32)
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/files/" + orphan, contents: Data("x".utf8)))
        XCTAssertTrue(FileManager.default.createFile(atPath: dir + "/files/tmp/" + orphan + ".1.2", contents: Data("x".utf8)))
        let server = try chatds.start(dataDir: dir)
        _ = try server.connect()
        XCTAssertEqual(blobs(in: dir), [])
        XCTAssertEqual(tempFiles(in: dir), [])
    }
}
