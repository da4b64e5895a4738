@testable import ChatServer
import Foundation
import XCTest

final class LinksTests: XCTestCase {
    func testLinksListsThisServer() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("LINKS")
        XCTAssertEqual(alice.plainLines(), [":test.server 364 alice test.server test.server :0 ChatNet chat server",
                                            ":test.server 365 alice * :End of /LINKS list"])
        alice.send("LINKS *.server")
        XCTAssertEqual(alice.codes(), ["364", "365"])
        alice.send("LINKS remote.example other.*")
        XCTAssertEqual(alice.plainLines(), [":test.server 365 alice other.* :End of /LINKS list"])
    }

    func testServerInfoDescribesTheServerInLinksAndWhois() throws {
        let net = TestNet { $0.serverInfo = "test server" }
        let alice = net.user("alice")
        alice.send("LINKS")
        XCTAssertEqual(alice.plainLines().first, ":test.server 364 alice test.server test.server :0 test server")
        alice.send("WHOIS alice")
        XCTAssertTrue(alice.plainLines().contains(":test.server 312 alice alice test.server :test server"))
        let config = try ConfigLoader.parse(Data(#"{"serverInfo": "Riverside's chat"}"#.utf8), file: "t.json")
        XCTAssertEqual(config.serverInfo, "Riverside's chat")
    }
}
