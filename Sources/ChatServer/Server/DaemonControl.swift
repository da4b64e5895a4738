/// What an operator's REHASH and DIE ask of the daemon: re-read the
/// configuration file and the TLS certificate (as SIGHUP and `chatctl
/// reload` do), or shut down gracefully (as SIGTERM and `chatctl shutdown`
/// do). The server keeps it weakly; `ChatDaemon` is the real one, and a
/// server without one (tests, an embedded server) answers with an error.
///
/// Thread-safety: loop thread only; `done` runs on the loop.
public protocol DaemonControl: AnyObject {
    /// The file REHASH names in 382 RPL_REHASHING; nil when the daemon
    /// runs on built-in defaults and has nothing to re-read.
    var configurationFile: String? { get }
    /// Reads the configuration off the loop and applies it, then the
    /// certificate: `done` gets the configuration's notes or the reason it
    /// was refused (the running one is kept), and the certificate's notes.
    func rehash(done: @escaping (_ configuration: Result<[String], Error>, _ certificate: [String]) -> Void)
    /// Starts the graceful shutdown every client hears `message` in.
    func die(message: String)
}
