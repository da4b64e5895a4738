/// Storing a SCRAM verifier derived at a PLAIN log-in (an account created
/// before SCRAM): through the storage writer, off the loop; a failure only
/// means the next PLAIN log-in tries again.
extension IRCServer {
    func storeScramVerifier(_ verifier: ScramVerifier, account name: String) {
        guard let services else { return }
        let storage = services.storage
        services.writer.offload({ try storage.saveScramVerifier(verifier, forAccount: name) }, completion: { [weak self] result in
            if case .failure(let error) = result { self?.logger.error("storing the SCRAM verifier of \(name) failed: \(error)") }
        })
    }
}
