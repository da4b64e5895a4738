import CoreLoop
import Foundation
import HTTPCore

/// `GET /metrics`: the server's counters in the Prometheus text format, for
/// addresses in `http.metricsAllow` only (others get 403). Everything is read
/// on the loop at scrape time from the counters the server keeps anyway.
///
/// Thread-safety: loop thread only.
final class MetricsResponder: HTTPResponder {
    unowned let daemon: ChatDaemon
    let allow: () -> AddressAllowList

    init(daemon: ChatDaemon, allow: @escaping () -> AddressAllowList) {
        self.daemon = daemon
        self.allow = allow
    }

    func bodyLimit(for head: HTTPRequestHead, default limit: Int) -> Int { 0 }

    func allowedMethods(for head: HTTPRequestHead) -> [String]? { ["GET", "HEAD"] }

    func respond(to request: HTTPRequest, via exchange: HTTPExchange) {
        guard allow().permits(request.peer) else {
            return exchange.respond(.text(.forbidden, "/metrics is not open to \(request.peer?.host ?? "this address") (http.metricsAllow)"))
        }
        exchange.respond(.bytes(.ok, contentType: "text/plain; version=0.0.4; charset=utf-8", Array(render().utf8),
                                headers: HTTPHeaders([("Cache-Control", "no-store")])))
    }

    func render() -> String {
        let server = daemon.server
        let s = server.stats
        var p = PrometheusText()
        var byTransport = ["tcp": 0, "tls": 0, "websocket": 0]
        var bytesIn = s.bytesInClosed, bytesOut = s.bytesOutClosed
        for client in server.clients.all {
            let t = client.connection
            let kind = t is WebSocketClientTransport ? "websocket" : (t.isSecure ? "tls" : "tcp")
            byTransport[kind, default: 0] += 1
            bytesIn &+= t.bytesIn
            bytesOut &+= t.bytesOut
        }
        p.family("chatd_connections", "gauge", "Open client connections by transport.")
        for kind in ["tcp", "tls", "websocket"] { p.sample("chatd_connections", [("transport", kind)], Double(byTransport[kind] ?? 0)) }
        p.gauge("chatd_users", "Registered users now.", Double(s.users))
        p.counter("chatd_connections_accepted_total", "Client connections admitted.", s.connectionsAccepted)
        p.counter("chatd_connections_refused_total", "Client connections refused (full, banned, per-address limit).", s.connectionsRefused)
        p.counter("chatd_registrations_total", "Clients that completed registration.", s.registrations)
        p.counter("chatd_lines_received_total", "IRC lines received from clients.", s.linesIn)
        p.counter("chatd_messages_relayed_total", "PRIVMSG/NOTICE/TAGMSG relayed.", s.messagesRelayed)
        p.counter("chatd_deliveries_total", "Lines sent to clients.", s.linesOut)
        p.counter("chatd_bytes_received_total", "Bytes received from clients.", bytesIn)
        p.counter("chatd_bytes_sent_total", "Bytes sent to clients.", bytesOut)
        p.counter("chatd_sendq_disconnects_total", "Clients dropped with SendQ exceeded.", s.sendQueueDisconnects)
        p.counter("chatd_flood_disconnects_total", "Clients dropped with Excess Flood.", s.floodDisconnects)
        p.family("chatd_logins_total", "counter", "Password log-ins by result.")
        p.sample("chatd_logins_total", [("result", "ok")], Double(s.loginsSucceeded))
        p.sample("chatd_logins_total", [("result", "failed")], Double(s.loginsFailed))
        p.counter("chatd_handler_failures_total", "Commands that failed inside the server.", s.handlerFailures)
        p.gauge("chatd_history_backlog", "Channel messages not yet written to disk.", Double(server.history?.unwrittenCount ?? 0))
        p.counter("chatd_history_written_total", "Channel messages written to disk.", server.history?.messagesWritten ?? 0)
        p.counter("chatd_history_dropped_total", "Unwritten messages dropped because the writer stayed too far behind.",
                  server.history?.droppedUnwritten ?? 0)
        p.gauge("chatd_storage_pending_writes", "Database writes queued or running.", Double(server.services?.pendingWrites ?? 0))
        p.gauge("chatd_files_stored", "Shared files stored.", Double(server.files.storedCount))
        p.gauge("chatd_files_stored_bytes", "Bytes of shared files stored.", Double(server.files.storedBytes))
        let loop = daemon.loop.stats
        p.histogram("chatd_loop_iteration_seconds", "Work time of each event-loop turn (not the wait).", loop.iterationTime)
        p.gauge("chatd_loop_lag_seconds", "How late the most recent due timer ran.", Double(loop.lastTimerLagNanos) / 1e9)
        p.gauge("chatd_loop_lag_max_seconds", "The latest a timer has run since start.", Double(loop.maxTimerLagNanos) / 1e9)
        p.counter("chatd_loop_iterations_total", "Event-loop turns.", loop.iterations)
        if let web = daemon.web {
            let h = web.http.stats
            p.gauge("chatd_http_connections", "Connections speaking HTTP now (not upgraded).", Double(h.openConnections))
            p.counter("chatd_http_requests_total", "HTTP requests read.", h.requests)
            p.family("chatd_http_responses_total", "counter", "HTTP responses by status class.")
            for i in 1...5 { p.sample("chatd_http_responses_total", [("class", "\(i)xx")], Double(h.responsesByClass[i])) }
            p.counter("chatd_http_malformed_requests_total", "HTTP requests refused while being read.", h.malformedRequests)
            p.counter("chatd_http_connections_refused_total", "HTTP connections answered 503 at once (connection limits).", h.connectionsRefused)
            p.gauge("chatd_http_body_bytes_reserved", "Bytes of request bodies being read or handled now.", Double(web.http.bodyBytesReserved))
            p.counter("chatd_websocket_upgrades_total", "WebSocket handshakes completed.", web.webSocketUpgrades)
        }
        p.gauge("chatd_uptime_seconds", "Seconds since start.", Double(SystemClock().wallMillis - daemon.startedAtMillis) / 1000)
        return p.text
    }
}
