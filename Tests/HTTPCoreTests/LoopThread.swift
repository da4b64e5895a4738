import CoreLoop
import Foundation
@testable import HTTPCore

/// An `EventLoop` with an `HTTPServer` on a loopback port, run on its own thread.
final class LoopThread {
    let loop: EventLoop
    var http: HTTPServer!
    var listener: StreamListener!
    var log: [HTTPAccessLogEntry] = []
    private let finished = DispatchSemaphore(value: 0)

    init(limits: HTTPLimits = HTTPLimits(), connectionLimits: ConnectionLimits = ConnectionLimits(), responder: HTTPResponder) throws {
        loop = try EventLoop()
        http = HTTPServer(loop: loop, limits: limits, responder: responder) { [unowned self] in self.log.append($0) }
        listener = try StreamListener.tcp(loop: loop, address: try SocketAddress(parsing: "127.0.0.1:0"), limits: connectionLimits) { [unowned self] in
            self.http.accept($0)
        }
        let loop = self.loop, finished = self.finished
        Thread { try? loop.run(); loop.close(); finished.signal() }.start()
    }

    var port: Int { listener.address.port! }

    /// Runs `body` on the loop thread and returns its result.
    func onLoop<T>(_ body: @escaping () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        var result: T?
        loop.execute { result = body(); done.signal() }
        _ = done.wait(timeout: .now() + 20)
        return result!
    }

    func stop() {
        loop.stop()
        _ = finished.wait(timeout: .now() + 20)
    }
}

/// A responder made of a closure, for tests.
final class ClosureResponder: HTTPResponder {
    let body: (HTTPRequest, HTTPExchange) -> Void
    var limit: Int?
    var allowed: [String]?
    /// Judges a head with a body (`HTTPResponder.admit`); nil admits all.
    var admission: ((HTTPRequestHead, @escaping (HTTPAdmission) -> Void) -> Void)?
    init(limit: Int? = nil, allowed: [String]? = nil, _ body: @escaping (HTTPRequest, HTTPExchange) -> Void) {
        self.body = body
        self.limit = limit
        self.allowed = allowed
    }
    func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int { self.limit ?? limit }
    func allowedMethods(for head: HTTPRequestHead) -> [String]? { allowed }
    func respond(to request: HTTPRequest, via exchange: HTTPExchange) { body(request, exchange) }
    func admit(_ head: HTTPRequestHead, peer: SocketAddress?, done: @escaping (HTTPAdmission) -> Void) {
        guard let admission else { return done(.admit(context: nil)) }
        admission(head, done)
    }
}
