import Logging

/// The off-loop half of accounts: a password checked, an account created, a
/// SCRAM verifier stored, each on the services' workers with its answer back
/// on the loop. It holds no client: the log-in throttle, statistics and
/// replies stay with the caller (`IRCServer+Accounts.swift`), so this type is
/// the one place that knows which worker does what and in which order.
///
/// Thread-safety: loop thread only; its completions run on the loop.
final class AccountVault {
    /// What a password check found: the account when the password matched,
    /// nil when the account is unknown or the password wrong (the two take
    /// equally long and are not told apart).
    typealias CheckResult = Result<AccountRecord?, Error>

    private let services: ServerServices
    private let directory: AccountDirectory
    private let logger: Logger

    init(services: ServerServices, directory: AccountDirectory, logger: Logger) {
        self.services = services
        self.directory = directory
        self.logger = logger
    }

    /// Checks `password` for `account` on a hashing worker. An account from
    /// before SCRAM gets its verifier derived from this one sight of the
    /// password, and stored through the writer.
    func check(account: String, password: String, done: @escaping (CheckResult) -> Void) {
        let storage = services.storage
        services.hashers.offload({ () -> (AccountRecord, ScramVerifier?)? in
            let record = try storage.account(named: account)
            // Hash even when there is no such account, so both take as long.
            let ok = PasswordHasher.verify(password, against: record?.passwordHash ?? PasswordHasher.decoy)
            guard ok, let record else { return nil }
            let missing = try !storage.hasScramVerifier(account: record.name)
            return (record, missing ? ScramVerifier.derive(password: password) : nil)
        }, completion: { [weak self] checked in
            if case .success((let record, let verifier?)?) = checked { self?.storeScramVerifier(verifier, account: record.name) }
            done(checked.map { $0?.0 })
        })
    }

    /// Creates an account (REGISTER, or the console): reserves the name at
    /// once so a second request cannot race this one, hashes on a worker,
    /// inserts through the writer, and frees the name again if that fails.
    func create(name: String, email: String?, password: String, createdAtMillis created: Int64, by origin: String,
                done: @escaping (Result<AccountRecord, AccountRegistrationFailure>) -> Void) {
        guard directory.reserve(name) else { return done(.failure(.exists)) }
        let storage = services.storage, writer = services.writer, logger = logger
        let release: (AccountRegistrationFailure) -> Void = { [directory] failure in
            directory.release(name)
            done(.failure(failure))
        }
        // The yescrypt hash for PLAIN and the SCRAM verifier, both from this one sight of the password.
        services.hashers.offload({ (try PasswordHasher.hash(password), ScramVerifier.derive(password: password)) },
                                 completion: { hashed in
            guard case .success(let (hash, verifier)) = hashed else { return release(.unavailable) }
            let record = AccountRecord(name: name, email: email, passwordHash: hash, createdAtMillis: created)
            writer.offload({
                try storage.createAccount(record)
                try storage.saveScramVerifier(verifier, forAccount: name)
            }, completion: { written in
                switch written {
                case .success:
                    logger.info("account \(name) registered from \(origin)")
                    done(.success(record))
                case .failure(StorageError.accountExists):
                    release(.exists)
                case .failure(let error):
                    logger.error("account insert failed: \(error)")
                    release(.unavailable)
                }
            })
        })
    }

    /// Stores a SCRAM verifier derived at a PLAIN log-in (an account created
    /// before SCRAM) through the writer; a failure only means the next PLAIN
    /// log-in tries again.
    func storeScramVerifier(_ verifier: ScramVerifier, account name: String) {
        let storage = services.storage, logger = logger
        services.writer.offload({ try storage.saveScramVerifier(verifier, forAccount: name) }, completion: { result in
            if case .failure(let error) = result { logger.error("storing the SCRAM verifier of \(name) failed: \(error)") }
        })
    }

    /// Records a log-in (SASL or PASS) through the writer, so the account
    /// does not expire as unused.
    func recordLogin(account name: String, atMillis now: Int64) {
        let storage = services.storage, logger = logger
        services.writer.offload({ try storage.recordLogin(name: name, atMillis: now) }, completion: { result in
            if case .failure(let error) = result { logger.error("recording a log-in failed: \(error)") }
        })
    }
}
