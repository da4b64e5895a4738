@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// Every numeric console argument fed extreme values: each yields an error
/// reply naming the argument, never a trap (issue #10: `chatctl ban
/// --duration 1e20` used to stop chatd on `Int64(duration * 1000)`).
final class ConsoleNumberTests: XCTestCase {
    override class func setUp() { PasswordHasher.cost = 1 }

    func request(_ json: String) throws -> ConsoleRequest {
        try ConsoleRequest(line: Data(json.utf8))
    }

    func ask(_ host: ConsoleHost, _ json: String) -> [String: Any] {
        var reply: ConsoleReply?
        ConsoleVerbs.handle(try! request(json), host: host) { reply = $0 }
        return try! JSONSerialization.jsonObject(with: reply!.line) as! [String: Any]
    }

    static let huge = ["1e20", "-1e20", "1e300", "-1e300", "9223372036854775807", "9223372036854775808",
                       "-9223372036854775809", "99999999999999999999999", "1.7976931348623157e308"]
    static let notWhole = [#""60""#, "true", "false", "[60]", #"{"s": 60}"#, "1.5", "0.001", "-0.5", "1e-300"]

    func testBanDuration1e20IsAnErrorNotACrash() {
        let net = TestNet.withStorage()
        let host = FakeConsoleHost(net)
        XCTAssertEqual(ask(host, ##"{"cmd":"ban","mask":"10.0.0.1","duration":1e20}"##)["error"] as? String,
                       "argument duration: 1e+20 is out of range: must be between 1 and 315360000")
        XCTAssertTrue(net.server.currentBans().isEmpty)
    }

    func testBanDurationExtremes() {
        let net = TestNet.withStorage()
        let host = FakeConsoleHost(net)
        for value in Self.huge + ["0", "-1", "315360001"] {
            let error = ask(host, #"{"cmd":"ban","mask":"10.0.0.1","duration":\#(value)}"#)["error"] as? String
            XCTAssertTrue(error?.hasPrefix("argument duration: ") == true && error?.hasSuffix("must be between 1 and 315360000") == true,
                          "\(value): \(error ?? "no error")")
        }
        for value in Self.notWhole {
            XCTAssertEqual(ask(host, #"{"cmd":"ban","mask":"10.0.0.1","duration":\#(value)}"#)["error"] as? String,
                           "argument duration must be a whole number", value)
        }
        XCTAssertTrue(net.server.currentBans().isEmpty, "nothing refused was saved")

        // The largest duration is accepted, and so is 60 sent as 60.0 (chatctl's --duration is a Double).
        XCTAssertEqual(ask(host, ##"{"cmd":"ban","mask":"10.0.0.1","duration":315360000}"##)["ok"] as? Bool, true)
        XCTAssertEqual(ask(host, ##"{"cmd":"ban","mask":"10.0.0.2","duration":60.0}"##)["ok"] as? Bool, true)
        let expiries = net.server.currentBans().sorted { $0.pattern < $1.pattern }.map { $0.expiresAtMillis.map { $0 - net.clock.wallMillis } }
        XCTAssertEqual(expiries, [315_360_000_000, 60_000])
        XCTAssertEqual(ask(host, ##"{"cmd":"ban","mask":"10.0.0.3","duration":null}"##)["ok"] as? Bool, true, "null: permanent")
    }

    func testShutdownGraceExtremes() {
        let net = TestNet()
        let host = FakeConsoleHost(net)
        for value in Self.huge + ["-1", "3600.5", "-0.001"] {
            XCTAssertEqual(ask(host, #"{"cmd":"shutdown","grace":\#(value)}"#)["error"] as? String,
                           "argument grace: must be 0 to 3600 seconds", value)
        }
        for value in [#""5""#, "true", "[5]"] {
            XCTAssertEqual(ask(host, #"{"cmd":"shutdown","grace":\#(value)}"#)["error"] as? String, "argument grace must be a number", value)
        }
        XCTAssertNil(host.shutdownRequest, "no refused request started a shutdown")
        XCTAssertEqual(ask(host, ##"{"cmd":"shutdown","grace":3600}"##)["ok"] as? Bool, true)
        XCTAssertEqual(host.shutdownRequest?.1, .seconds(3600))
    }

    func testIntAccessorRefusesWhatIsNotAWholeNumberInRange() throws {
        for value in Self.huge + ["-1", "101"] {
            XCTAssertThrowsError(try request(#"{"cmd":"x","n":\#(value)}"#).int("n", in: 0...100), value) { error in
                guard case .invalidArgument("n", let reason)? = error as? ConsoleError else { return XCTFail("\(value): \(error)") }
                XCTAssertTrue(reason.hasSuffix("is out of range: must be between 0 and 100"), reason)
            }
        }
        for value in Self.notWhole {
            XCTAssertThrowsError(try request(#"{"cmd":"x","n":\#(value)}"#).int("n", in: 0...100), value) {
                XCTAssertEqual($0 as? ConsoleError, .wrongType("n", expected: "a whole number"), value)
            }
        }
        XCTAssertThrowsError(try request(#"{"cmd":"x"}"#).int("n", in: 0...100)) {
            XCTAssertEqual($0 as? ConsoleError, .missingArgument("n"))
        }
        XCTAssertThrowsError(try request(#"{"cmd":"x","n":null}"#).int("n", in: 0...100)) {
            XCTAssertEqual($0 as? ConsoleError, .missingArgument("n"))
        }
        XCTAssertNil(try request(#"{"cmd":"x","n":null}"#).optionalInt("n", in: 0...100))
        XCTAssertEqual(try request(#"{"cmd":"x","n":100}"#).int("n", in: 0...100), 100)
        XCTAssertEqual(try request(#"{"cmd":"x","n":-0}"#).int("n", in: 0...100), 0)
        // The widest range still never converts 2^63 (which would trap).
        XCTAssertThrowsError(try request(#"{"cmd":"x","n":9223372036854775808}"#).int("n", in: Int.min...Int.max))
        XCTAssertEqual(try request(#"{"cmd":"x","n":-9223372036854775808}"#).int("n", in: Int.min...Int.max), Int.min)
    }

    func testNumberAccessorStaysFinite() throws {
        XCTAssertEqual(try request(#"{"cmd":"x","n":1e300}"#).optionalNumber("n"), 1e300)
        XCTAssertThrowsError(try request(#"{"cmd":"x","n":true}"#).optionalNumber("n"))
        XCTAssertThrowsError(try request(#"{"cmd":"x","n":1e400}"#), "not representable: refused as malformed JSON")
    }
}
