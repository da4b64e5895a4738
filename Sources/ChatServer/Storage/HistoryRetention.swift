import Logging

/// Applies the retention settings (`history.maxAgeDays`,
/// `history.maxMessagesPerTarget`, `history.topicRetentionDays`) through the
/// storage writer: the daemon calls `run()` at startup and once a minute.
/// A run is a chain of writer jobs, each deleting at most `batchLimit` rows
/// in one transaction, so history inserts queued meanwhile wait for one
/// short step, never for the whole prune.
///
/// "Used" for a topic: the topic was set, or a message was stored in the
/// channel, within `topicRetentionDays`, or the channel has members now.
///
/// Thread-safety: loop thread only.
final class HistoryRetention {
    private let services: ServerServices
    private let clock: ServerClock
    private let logger: Logger
    private let settings: () -> ServerConfig.History
    /// Folded names of the channels that exist now (have members).
    private let openChannels: () -> Set<String>
    /// Told about each topic dropped from the database, to forget it in memory too.
    private let topicDropped: (String, ChatStorage.StoredTopic) -> Void
    let batchLimit: Int
    /// Whether a run's chain of jobs is still going (a new run is skipped).
    private(set) var running = false
    /// Set at shutdown: a run stops after its current step.
    private var stopped = false
    private(set) var messagesPruned: UInt64 = 0
    private(set) var topicsPruned: UInt64 = 0

    init(services: ServerServices, clock: ServerClock, logger: Logger, batchLimit: Int = 1000,
         settings: @escaping () -> ServerConfig.History, openChannels: @escaping () -> Set<String>,
         topicDropped: @escaping (String, ChatStorage.StoredTopic) -> Void) {
        self.services = services
        self.clock = clock
        self.logger = logger
        self.batchLimit = batchLimit
        self.settings = settings
        self.openChannels = openChannels
        self.topicDropped = topicDropped
    }

    /// No more steps after the current one (shutdown).
    func stop() { stopped = true }

    /// Starts a run unless one is going; `done` runs when it has finished.
    func run(done: @escaping () -> Void = {}) {
        guard !running, !stopped else { return done() }
        running = true
        let now = clock.wallMillis, history = settings(), storage = services.storage, limit = batchLimit
        let day: Int64 = 86_400_000
        var steps: [Step] = []
        if history.maxAgeDays > 0 {
            let cutoff = now - Int64(history.maxAgeDays) * day
            steps.append(.messages { try storage.pruneMessages(olderThanMillis: cutoff, limit: limit) })
        }
        if history.maxMessagesPerTarget > 0 {
            let keep = history.maxMessagesPerTarget
            steps.append(.messages { try storage.pruneMessages(keepingNewest: keep, limit: limit) })
        }
        if history.topicRetentionDays > 0 {
            let cutoff = now - Int64(history.topicRetentionDays) * day
            let open = openChannels()
            steps.append(.topics { try storage.pruneTopics(unusedSinceMillis: cutoff, open: open, limit: limit) })
        }
        next(steps[...], pruned: 0) { [self] in
            running = false
            done()
        }
    }

    private enum Step {
        /// Deletes at most `batchLimit` messages; returns how many.
        case messages(() throws -> Int)
        /// Deletes at most `batchLimit` topics; returns them.
        case topics(() throws -> [String: ChatStorage.StoredTopic])
    }

    /// Runs `steps[0]` on the writer until it deletes less than a full
    /// batch, then the rest.
    private func next(_ steps: ArraySlice<Step>, pruned: Int, finished: @escaping () -> Void) {
        guard let step = steps.first, !stopped else {
            if pruned > 0 { logger.info("retention: pruned \(pruned) rows") }
            return finished()
        }
        let limit = batchLimit
        switch step {
        case .messages(let work):
            services.writer.offload(work) { [self] result in
                switch result {
                case .success(let count):
                    messagesPruned += UInt64(count)
                    next(count >= limit ? steps : steps.dropFirst(), pruned: pruned + count, finished: finished)
                case .failure(let error):
                    logger.error("retention: pruning history failed: \(error)")
                    next(steps.dropFirst(), pruned: pruned, finished: finished)
                }
            }
        case .topics(let work):
            services.writer.offload(work) { [self] result in
                switch result {
                case .success(let dropped):
                    topicsPruned += UInt64(dropped.count)
                    for (folded, topic) in dropped { topicDropped(folded, topic) }
                    next(dropped.count >= limit ? steps : steps.dropFirst(), pruned: pruned + dropped.count, finished: finished)
                case .failure(let error):
                    logger.error("retention: pruning topics failed: \(error)")
                    next(steps.dropFirst(), pruned: pruned, finished: finished)
                }
            }
        }
    }
}
