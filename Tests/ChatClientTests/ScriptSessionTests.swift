@testable import ChatServer
import ChatClient
import CoreLoop
import Foundation
import XCTest

/// `chat send`'s session and operation against a real chatd: the message
/// arrives, and failures have the exit codes scripts rely on.
final class ScriptSessionTests: XCTestCase {
    var server: TestDaemon!

    override func setUpWithError() throws {
        server = try TestDaemon()
        server.start()
    }

    override func tearDown() { server.stop() }

    /// Runs `chat send` on a thread of its own (it has its own loop), as the process would.
    func send(to target: String, _ text: String, nick: String = "script",
              account: String? = nil, password: String? = nil) -> (done: () -> Result<Void, ClientFailure>?, finished: DispatchSemaphore) {
        let finished = DispatchSemaphore(value: 0)
        let result = LockedResult()
        let config = ClientConfig(nick: nick, server: "127.0.0.1:\(server.port)", account: account, password: password)
        let thread = Thread {
            let operation = SendOperation(target: target, text: text)
            let r: Result<Void, ClientFailure>
            do { r = try ScriptSession(config: config, timeoutSeconds: 20).run { operation.start($0) } } catch {
                r = .failure(.cannotConnect("\(error)"))
            }
            result.set(r)
            finished.signal()
        }
        thread.start()
        return ({ result.value }, finished)
    }

    /// The script thread's result, read by the test's thread.
    ///
    /// Thread-safety: any thread (a lock guards the value).
    final class LockedResult: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: Result<Void, ClientFailure>?

        func set(_ result: Result<Void, ClientFailure>) { lock.withLock { stored = result } }
        var value: Result<Void, ClientFailure>? { lock.withLock { stored } }
    }

    func testSendToAChannelArrives() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var config = ClientConfig(nick: "reader", server: "127.0.0.1:\(server.port)")
        config.reconnect = false
        let reader = ChatConnection(loop: loop, config: config)
        let r = EventRecorder()
        r.attach(reader)
        reader.start()
        pump(loop, until: { reader.isRegistered }, "the reader")
        reader.send("JOIN", "#ops")
        pump(loop, until: { reader.channels == ["#ops"] }, "the reader in #ops")

        let (done, _) = send(to: "#ops", "deploy finished\nall green")
        pump(loop, until: { r.line("all green", in: .window("#ops")) != nil }, "both lines to arrive")
        XCTAssertEqual(r.line("deploy finished")?.sender, "script")
        pump(loop, until: { done() != nil }, "chat send to finish")
        guard case .success? = done() else { return XCTFail("\(String(describing: done()))") }
    }

    func testSendToNobodyIsNotFound() throws {
        let (done, finished) = send(to: "nobody", "hello?")
        XCTAssertEqual(finished.wait(timeout: .now() + 30), .success, "chat send did not finish")
        guard case .failure(let f)? = done() else { return XCTFail("no result: \(String(describing: done()))") }
        XCTAssertEqual(f.exitCode, 2, "\(f)")
    }
}
