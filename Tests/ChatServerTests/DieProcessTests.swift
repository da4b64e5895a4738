import Foundation
import XCTest

/// An operator's DIE stops a real chatd the graceful way: everyone told,
/// history committed, exit status 0.
final class DieProcessTests: XCTestCase {
    func testOperatorDieShutsTheDaemonDownGracefully() throws {
        let dir = ChatdProcess.temporaryDataDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = try ChatdProcess(dataDir: dir,
                                      extraConfig: #", "operators": [{"name": "root", "password": "sesame", "hostMask": "*"}]"#)
        let bystander = try server.connect()
        try bystander.register("bystander")
        try bystander.line("JOIN #last")
        let oper = try server.connect()
        try oper.register("oper")
        try oper.line("OPER root sesame")
        _ = try oper.waitForNumeric("381")
        try oper.line("JOIN #last")
        try oper.line("PRIVMSG #last :said just before DIE")
        try oper.line("DIE wrong.name")
        _ = try oper.waitForNumeric("402")
        XCTAssertTrue(server.process.isRunning)

        try oper.line("DIE proc.test")
        XCTAssertEqual(try bystander.readToEnd().last, "ERROR :Closing Link: 127.0.0.1 (Server shutting down (DIE by oper))")
        XCTAssertEqual(try server.waitForExit(timeout: 30), 0, server.log)
        XCTAssertTrue(server.log.contains("oper (127.0.0.1) stopped the server with DIE"), server.log)
        XCTAssertTrue(server.log.contains("history flushed"), server.log)
    }
}
