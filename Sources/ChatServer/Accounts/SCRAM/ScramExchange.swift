/// One SASL SCRAM-SHA-256 exchange in progress on a connection (kept on the
/// `Client` while it runs).
///
/// Thread-safety: loop thread only.
final class ScramExchange {
    enum Stage {
        /// `AUTHENTICATE SCRAM-SHA-256` was answered with `+`.
        case awaitingClientFirst
        /// The account's verifier is being read on a worker.
        case lookingUp
        /// server-first was sent.
        case awaitingClientFinal(ScramClientFirst, serverFirst: String, nonce: String, credentials: Credentials)
        /// The proof was right and server-final (`v=`) was sent; the
        /// client's empty answer completes the log-in.
        case awaitingAcknowledgement(AccountRecord)
    }

    /// What the proof is checked against. For an unknown account, or one
    /// without a verifier yet, a decoy that no proof matches.
    struct Credentials {
        var account: AccountRecord?
        var verifier: ScramVerifier
    }

    var stage: Stage = .awaitingClientFirst
    /// Counts the exchange as a check in flight for the log-in throttle
    /// until it ends, however it ends (the client may just leave).
    var ticket: ThrottleTicket?
}

/// A log-in check counted by the throttle while it runs (`LoginThrottle.start`),
/// finished exactly once: explicitly, or when the exchange holding it is dropped.
///
/// Thread-safety: loop thread only (it is released with its client, on the loop).
final class ThrottleTicket {
    private var finish: (() -> Void)?

    init(start: () -> Void, finish: @escaping () -> Void) {
        start()
        self.finish = finish
    }

    func end() {
        finish?()
        finish = nil
    }

    deinit { finish?() }
}
