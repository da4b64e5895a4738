@testable import ChatServer
import Foundation
import XCTest

/// Relative paths in a configuration file name places beside the file.
final class ConfigPathTests: XCTestCase {
    func testRelativePathsResolveAgainstTheFolder() {
        XCTAssertEqual(ServerConfig.resolve("./data", against: "/etc/chatd"), "/etc/chatd/data")
        XCTAssertEqual(ServerConfig.resolve("web", against: "/etc/chatd"), "/etc/chatd/web")
        XCTAssertEqual(ServerConfig.resolve("././x/y", against: "/etc/chatd/"), "/etc/chatd/x/y")
        XCTAssertEqual(ServerConfig.resolve(".", against: "/etc/chatd"), "/etc/chatd")
        XCTAssertEqual(ServerConfig.resolve("../shared/web", against: "conf"), "conf/../shared/web")
        XCTAssertEqual(ServerConfig.resolve("/var/lib/chatd", against: "/etc/chatd"), "/var/lib/chatd", "absolute stays")
    }

    func testTheFolderOfAFile() {
        XCTAssertEqual(ServerConfig.folder(ofFile: "config.json"), ".")
        XCTAssertEqual(ServerConfig.folder(ofFile: "/etc/chatd/config.json"), "/etc/chatd")
        XCTAssertEqual(ServerConfig.folder(ofFile: "/config.json"), "/")
        XCTAssertEqual(ServerConfig.folder(ofFile: "conf/chatd.json"), "conf")
    }

    func testAFileInTheWorkingDirectoryChangesNothing() throws {
        var config = ServerConfig()
        config.motdFile = "motd.txt"
        XCTAssertEqual(config.resolvingRelativePaths(against: "."), config)
        XCTAssertEqual(config.resolvingRelativePaths(against: ""), config)
    }

    func testLoadingAFileElsewhereResolvesEveryPathKey() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatd-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("config.json")
        try Data(#"""
        {"dataDir": "./state", "motdFile": "motd.txt", "consoleSocket": "run/console.sock",
         "tls": {"certificate": "tls/cert.pem", "key": "/srv/key.pem"},
         "http": {"webRoot": "web"}}
        """#.utf8).write(to: file)
        try Data("Hello from beside the file\n".utf8).write(to: folder.appendingPathComponent("motd.txt"))

        let config = try ConfigLoader.load(file: file.path)
        XCTAssertEqual(config.dataDir, folder.path + "/state")
        XCTAssertEqual(config.motdFile, folder.path + "/motd.txt")
        XCTAssertEqual(config.consoleSocket, folder.path + "/run/console.sock")
        XCTAssertEqual(config.consoleSocketPath, folder.path + "/run/console.sock")
        XCTAssertEqual(config.tls.certificateFile, folder.path + "/tls/cert.pem")
        XCTAssertEqual(config.tls.keyFile, "/srv/key.pem")
        XCTAssertEqual(config.http.webRoot, folder.path + "/web")
        // The MOTD is found wherever the server was started from.
        XCTAssertEqual(try config.loadMotd(), ["Hello from beside the file"])
    }
}
