import CoreLoop

/// What the console verbs act on: the chat engine plus the daemon's own
/// controls. `ChatDaemon` is the real one.
///
/// Thread-safety: loop thread only.
public protocol ConsoleHost: AnyObject {
    var server: IRCServer { get }
    var loopStats: EventLoopStats { get }
    var startedAtMillis: Int64 { get }
    /// Stops the server after telling clients `message`, waiting up to `grace`.
    func shutdown(message: String, grace: Nanoseconds)
    /// Re-reads the configuration file (off the loop) and applies what can
    /// change while running; `done` (on the loop) gets notes (e.g. settings
    /// that need a restart), or the reason the file was refused, in which
    /// case the old settings stay.
    func reloadConfiguration(done: @escaping (Result<[String], Error>) -> Void)
    /// Re-reads the TLS certificate (off the loop) for new connections;
    /// `done` runs on the loop with notes. The default has no TLS.
    func reloadCertificates(_ done: @escaping ([String]) -> Void)
    /// Where replies are encoded, off the loop (a `users` listing of 13,000
    /// users took JSONSerialization 1.5 s); nil: on the loop (test hosts).
    var consoleEncoder: Offloader? { get }
}

extension ConsoleHost {
    public func reloadCertificates(_ done: @escaping ([String]) -> Void) { done([]) }
    public var consoleEncoder: Offloader? { nil }
}
