/// The queued score changes that go to disk together (group commit): each
/// job is tried in turn on one trial ledger, and the ones that apply are
/// written in one transaction, so a feed that sends faster than the disk
/// syncs pays one fsync per batch instead of one per event.
///
/// A job is all or nothing inside the batch: one the rules refuse changes
/// nothing and gets its own error, the others still go. Seqs are handed out
/// in the order the jobs were queued, so they stay gap-free per match.
///
/// Thread-safety: a value type; built on the loop thread, its rows are
/// handed to the storage writer.
struct ScoreBatch {
    /// One job's outcome, and, for events, the match as it stood right after
    /// each of them (what the room's topic shows when that event is announced).
    struct Entry {
        var outcome: Result<ScoreJobResult, ScoreError>
        var matchAfter: [Match] = []
    }

    /// The ledger with every accepted job applied: kept only once written.
    private(set) var trial: ScoreLedger
    /// By job, in queue order.
    private(set) var entries: [Entry] = []
    /// Every accepted event, in seq order per match.
    private(set) var events: [ScoreEvent] = []
    private var changedMatches: Set<Int64> = []
    /// Finished matches retired to make room for new ones (deleted in the same write).
    private(set) var retired: [Int64] = []
    private let config: ScoresConfig

    init(ledger: ScoreLedger, config: ScoresConfig) {
        trial = ledger
        self.config = config
    }

    /// Jobs the rules accepted (they need the write).
    var accepted: Int {
        entries.filter { if case .success = $0.outcome { return true } else { return false } }.count
    }

    /// The matches to upsert: every one created or changed by an accepted job, as it ends up.
    var matchRows: [Match] { changedMatches.sorted().compactMap { trial.matches[$0] } }

    /// Tries `job` after the ones already in the batch.
    mutating func add(_ job: ScoreJob, nowMillis: Int64) {
        do {
            entries.append(try apply(job, nowMillis: nowMillis))
        } catch let error as ScoreError {
            entries.append(Entry(outcome: .failure(error)))
        } catch {
            entries.append(Entry(outcome: .failure(.invalidEvent("\(error)"))))
        }
    }

    private mutating func apply(_ job: ScoreJob, nowMillis: Int64) throws -> Entry {
        switch job {
        case .create(let home, let away, let simulated):
            guard trial.matches.count >= config.maxMatches else {
                // createMatch throws before it changes anything, so it runs on the trial itself.
                let match = try trial.createMatch(home: home, away: away, simulated: simulated, nowMillis: nowMillis)
                changedMatches.insert(match.id)
                return Entry(outcome: .success(.created(match)))
            }
            // Full: the oldest finished match makes room (not one this batch
            // changes, whose rows are about to be written).
            guard let oldest = trial.oldestFinished(excluding: changedMatches) else {
                throw ScoreError.tooMany("matches (max \(config.maxMatches), none finished to make room)")
            }
            var attempt = trial
            attempt.retire(oldest)
            let match = try attempt.createMatch(home: home, away: away, simulated: simulated, nowMillis: nowMillis)
            trial = attempt
            retired.append(oldest)
            changedMatches.insert(match.id)
            return Entry(outcome: .success(.created(match)))
        case .events(let drafts):
            guard !drafts.isEmpty else { throw ScoreError.invalidEvent("no events") }
            // A single draft runs on the trial itself (`apply` throws before
            // it changes anything); several run on a copy, kept only if all
            // apply, so a refused ingest leaves no trace in the batch.
            if drafts.count == 1 {
                try checkRoom(for: drafts[0], in: trial)
                let event = try trial.apply(drafts[0], nowMillis: nowMillis)
                return accept([event], snapshots: [trial.matches[event.matchID]!])
            }
            var attempt = trial
            var made: [ScoreEvent] = []
            var snapshots: [Match] = []
            for draft in drafts {
                try checkRoom(for: draft, in: attempt)
                let event = try attempt.apply(draft, nowMillis: nowMillis)
                made.append(event)
                snapshots.append(attempt.matches[event.matchID]!)
            }
            trial = attempt
            return accept(made, snapshots: snapshots)
        }
    }

    private func checkRoom(for draft: ScoreEventDraft, in ledger: ScoreLedger) throws {
        guard ledger.events(of: draft.matchID).count < config.maxEventsPerMatch else {
            throw ScoreError.tooMany("events in match \(draft.matchID) (max \(config.maxEventsPerMatch))")
        }
    }

    private mutating func accept(_ made: [ScoreEvent], snapshots: [Match]) -> Entry {
        events += made
        for event in made { changedMatches.insert(event.matchID) }
        return Entry(outcome: .success(.events(made)), matchAfter: snapshots)
    }
}
