import HTTPCore

/// `GET /healthz`: `200 ok` when the loop answers (which it must to answer at all).
///
/// Thread-safety: loop thread only.
final class HealthResponder: HTTPResponder {
    func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int { 0 }

    func allowedMethods(for head: HTTPRequestHead) -> [String]? { ["GET", "HEAD"] }

    func respond(to request: HTTPRequest, via exchange: HTTPExchange) {
        exchange.respond(.text(.ok, "ok", headers: HTTPHeaders([("Cache-Control", "no-store")])))
    }
}
