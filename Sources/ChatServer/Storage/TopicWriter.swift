import Logging

/// Writes a channel's topic on the storage writer. A save that fails (a
/// busy or briefly failing disk) is queued again, as history batches are.
/// Bounded, so a broken disk cannot loop forever. `done` hears whether it
/// was stored: members are told of a new topic only then, so one they saw
/// set survives a crash (`kill -9` right after the TOPIC line).
///
/// Thread-safety: called on the loop thread; the write runs on the storage
/// writer and its completion comes back on the loop.
enum TopicWriter {
    static let attempts = 12

    static func persist(_ saved: ChatStorage.StoredTopic, folded: String, services: ServerServices, logger: Logger,
                        attemptsLeft: Int = attempts, done: @escaping (Bool) -> Void) {
        let storage = services.storage
        services.writer.offload({ try storage.saveTopic(folded: folded, saved) }, completion: { result in
            guard case .failure(let error) = result else { return done(true) }
            if attemptsLeft > 1 {
                logger.warning("saving topic of \(folded) failed, retrying: \(error)")
                persist(saved, folded: folded, services: services, logger: logger, attemptsLeft: attemptsLeft - 1, done: done)
            } else {
                logger.error("saving topic of \(folded) failed, giving up: \(error)")
                done(false)
            }
        })
    }
}
