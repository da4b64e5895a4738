import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The descriptor limit chatd needs: one per connection plus its own
/// (database, listeners, console, UDP, worker wake-ups). Many systems start
/// processes with a soft limit of 1,024 under a much higher hard one, so
/// without this a server allowed 4,096 connections failed accepts (EMFILE)
/// at about a thousand.
///
/// Thread-safety: call on the main thread at startup, before other threads.
enum DescriptorLimit {
    /// Descriptors besides connections, with room to spare.
    static let ownDescriptors = 256

    /// Raises the soft limit toward `maxConnections` + our own (0: no
    /// connection limit, so up to the hard limit); warns if the hard limit is lower.
    static func raise(forConnections maxConnections: Int, logger: Logger) {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let wanted = maxConnections > 0 ? rlim_t(maxConnections + ownDescriptors) : limit.rlim_max
        guard limit.rlim_cur < wanted else { return }
        let before = limit.rlim_cur
        limit.rlim_cur = min(wanted, limit.rlim_max)
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) != 0 { limit.rlim_cur = before }
        if limit.rlim_cur < wanted {
            logger.warning("descriptor limit \(limit.rlim_cur) (hard \(limit.rlim_max)) is below the \(wanted) that \(maxConnections > 0 ? "\(maxConnections) connections" : "unlimited connections") need: raise it (ulimit -Hn, LimitNOFILE=)")
        } else if limit.rlim_cur != before {
            logger.info("descriptor limit raised from \(before) to \(limit.rlim_cur)")
        }
    }
}
